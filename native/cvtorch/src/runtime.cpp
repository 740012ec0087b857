// Process-wide runtime facts and settings: version, threads, devices, random seed.
#include "common.h"

namespace cvt {
std::atomic<int64_t> live_tensors{0};
}

CVT_API const char* cvt_torch_version(void) { return TORCH_VERSION; }

CVT_API int64_t cvt_live_tensors(void) { return cvt::live_tensors.load(std::memory_order_relaxed); }

CVT_API int cvt_set_num_threads(int n) { CVT_GUARD(at::set_num_threads(n)) }

CVT_API int cvt_get_num_threads(void) { return at::get_num_threads(); }

CVT_API int cvt_cuda_is_available(void) {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

CVT_API int cvt_cuda_device_count(void) {
  try {
    return static_cast<int>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

CVT_API int cvt_manual_seed(uint64_t seed) { CVT_GUARD(torch::manual_seed(seed)) }

CVT_API int cvt_cuda_synchronize(int device_index) {
  CVT_GUARD({
    if (!torch::cuda::is_available()) throw std::runtime_error("CUDA is not available in the linked libtorch");
    torch::cuda::synchronize(device_index);
  })
}
