// Reading a tensor's metadata: rank, shape, strides, dtype, device, and scalar values.
#include "common.h"

using cvt::unwrap;

CVT_API int cvt_ndim(cvt_tensor t, int* out) { CVT_GUARD(*out = static_cast<int>(unwrap(t).dim())) }

CVT_API int cvt_shape(cvt_tensor t, int64_t* out) {
  CVT_GUARD({
    auto sizes = unwrap(t).sizes();
    std::copy(sizes.begin(), sizes.end(), out);
  })
}

CVT_API int cvt_strides(cvt_tensor t, int64_t* out) {
  CVT_GUARD({
    auto strides = unwrap(t).strides();
    std::copy(strides.begin(), strides.end(), out);
  })
}

CVT_API int cvt_storage_offset(cvt_tensor t, int64_t* out) { CVT_GUARD(*out = unwrap(t).storage_offset()) }

CVT_API int cvt_dtype(cvt_tensor t, int* out) { CVT_GUARD(*out = static_cast<int>(unwrap(t).scalar_type())) }

CVT_API int cvt_device(cvt_tensor t, int* device_type, int* device_index) {
  CVT_GUARD({
    auto device = unwrap(t).device();
    *device_type = static_cast<int>(device.type());
    *device_index = device.has_index() ? device.index() : 0;
  })
}

CVT_API int cvt_is_contiguous(cvt_tensor t, int* out) { CVT_GUARD(*out = unwrap(t).is_contiguous() ? 1 : 0) }

CVT_API int cvt_is_mkldnn(cvt_tensor t, int* out) { CVT_GUARD(*out = unwrap(t).is_mkldnn() ? 1 : 0) }

CVT_API int cvt_item(cvt_tensor t, double* out) { CVT_GUARD(*out = unwrap(t).item<double>()) }

CVT_API int cvt_same_storage(cvt_tensor a, cvt_tensor b, int* out) {
  CVT_GUARD(*out = unwrap(a).storage().is_alias_of(unwrap(b).storage()) ? 1 : 0)
}
