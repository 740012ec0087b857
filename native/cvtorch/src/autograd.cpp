// Autograd: gradients, grad mode, inference mode and autocast.
#include "common.h"

using cvt::unwrap;

CVT_API int cvt_requires_grad(cvt_tensor t, int* out) { CVT_GUARD(*out = unwrap(t).requires_grad() ? 1 : 0) }

CVT_API int cvt_set_requires_grad(cvt_tensor t, int value) { CVT_GUARD(unwrap(t).set_requires_grad(value != 0)) }

CVT_API int cvt_backward(cvt_tensor t, cvt_tensor gradient, int retain_graph) {
  CVT_GUARD({
    at::Tensor grad = gradient ? unwrap(gradient) : at::Tensor();
    unwrap(t).backward(grad, retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);
  })
}

// *out is NULL when the tensor has no gradient yet.
CVT_API int cvt_grad(cvt_tensor t, cvt_tensor* out) {
  CVT_GUARD({
    const auto& grad = unwrap(t).grad();
    *out = grad.defined() ? cvt::wrap(grad) : nullptr;
  })
}

CVT_API int cvt_clear_grad(cvt_tensor t) { CVT_GUARD(unwrap(t).mutable_grad().reset()) }

CVT_API int cvt_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }

CVT_API int cvt_set_grad_enabled(int enabled) { CVT_GUARD(at::GradMode::set_enabled(enabled != 0)) }

CVT_API int cvt_inference_mode_enter(cvt_guard* out) {
  CVT_GUARD(*out = reinterpret_cast<cvt_guard>(new c10::InferenceMode(true)))
}

CVT_API void cvt_inference_mode_exit(cvt_guard guard) { delete reinterpret_cast<c10::InferenceMode*>(guard); }

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
static at::DeviceType autocast_device(int device_type) { return static_cast<at::DeviceType>(device_type); }
#endif

CVT_API int cvt_autocast_set(int device_type, int enabled, int dtype) {
  CVT_GUARD({
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(autocast_device(device_type), enabled != 0);
    at::autocast::set_autocast_dtype(autocast_device(device_type), cvt::scalar_type(dtype));
#else
    if (device_type == 0) {
      at::autocast::set_cpu_enabled(enabled != 0);
      at::autocast::set_autocast_cpu_dtype(cvt::scalar_type(dtype));
    } else if (device_type == 1) {
      at::autocast::set_enabled(enabled != 0);
      at::autocast::set_autocast_gpu_dtype(cvt::scalar_type(dtype));
    } else {
      throw std::invalid_argument("autocast supports CPU and CUDA devices only");
    }
#endif
  })
}

CVT_API int cvt_autocast_is_enabled(int device_type, int* out) {
  CVT_GUARD({
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    *out = at::autocast::is_autocast_enabled(autocast_device(device_type)) ? 1 : 0;
#else
    *out = (device_type == 0 ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0;
#endif
  })
}

CVT_API int cvt_autocast_clear_cache(void) { CVT_GUARD(at::autocast::clear_cache()) }
CVT_API int cvt_autocast_increment_nesting(void) { CVT_GUARD(at::autocast::increment_nesting()) }
CVT_API int cvt_autocast_decrement_nesting(void) { CVT_GUARD(at::autocast::decrement_nesting()) }
