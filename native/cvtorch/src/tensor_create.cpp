// Creating tensors, copying data in and out, and releasing handles.
#include <cstring>

#include "common.h"

using cvt::ints;
using cvt::options;

CVT_API void cvt_tensor_free(cvt_tensor t) {
  if (t == nullptr) return;
  delete reinterpret_cast<at::Tensor*>(t);
  cvt::live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

CVT_API int cvt_from_data(const void* data, const int64_t* shape, int ndim, int dtype, cvt_tensor* out) {
  CVT_GUARD({
    auto result = at::empty(ints(shape, ndim), at::TensorOptions().dtype(cvt::scalar_type(dtype)));
    std::memcpy(result.data_ptr(), data, result.nbytes());
    *out = cvt::wrap(std::move(result));
  })
}

CVT_API int cvt_copy_to_buffer(cvt_tensor t, void* buffer, int64_t byte_count) {
  CVT_GUARD({
    auto source = cvt::unwrap(t).detach().to(at::kCPU).contiguous();
    if (static_cast<int64_t>(source.nbytes()) != byte_count)
      throw std::invalid_argument("destination holds " + std::to_string(byte_count) + " bytes but the tensor has " +
                                  std::to_string(source.nbytes()));
    std::memcpy(buffer, source.data_ptr(), source.nbytes());
  })
}

CVT_API int cvt_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::empty(ints(shape, ndim), options(dtype, device_type, device_index)))
}

CVT_API int cvt_zeros(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::zeros(ints(shape, ndim), options(dtype, device_type, device_index)))
}

CVT_API int cvt_ones(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::ones(ints(shape, ndim), options(dtype, device_type, device_index)))
}

CVT_API int cvt_full(const int64_t* shape, int ndim, double value, int dtype, int device_type, int device_index,
                     cvt_tensor* out) {
  CVT_RETURN(at::full(ints(shape, ndim), value, options(dtype, device_type, device_index)))
}

CVT_API int cvt_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::rand(ints(shape, ndim), options(dtype, device_type, device_index)))
}

CVT_API int cvt_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::randn(ints(shape, ndim), options(dtype, device_type, device_index)))
}

CVT_API int cvt_arange(double start, double end, double step, int dtype, int device_type, int device_index,
                       cvt_tensor* out) {
  CVT_RETURN(at::arange(start, end, step, options(dtype, device_type, device_index)))
}

CVT_API int cvt_linspace(double start, double end, int64_t steps, int dtype, int device_type, int device_index,
                         cvt_tensor* out) {
  CVT_RETURN(at::linspace(start, end, steps, options(dtype, device_type, device_index)))
}

CVT_API int cvt_scalar_tensor(double value, int dtype, int device_type, int device_index, cvt_tensor* out) {
  CVT_RETURN(at::scalar_tensor(value, options(dtype, device_type, device_index)))
}
