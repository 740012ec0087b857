/*
 * cvtorch — the C ABI between CellVision.Torch and libtorch.
 *
 * Conventions
 *  - Every tensor crosses the boundary as an opaque cvt_tensor that owns one at::Tensor
 *    reference; release it with cvt_tensor_free.
 *  - Every function that can fail returns an int status: CVT_OK (0) or CVT_ERROR (1).
 *    On failure the libtorch message is kept per thread and read with cvt_last_error.
 *    No C++ exception ever leaves this library.
 *  - Results are written through `out` pointers; optional tensor arguments may be NULL.
 *  - Scalar types use c10::ScalarType codes (Byte=0 ... Float=6, Double=7, Bool=11,
 *    BFloat16=15); device types use c10::DeviceType codes (CPU=0, CUDA=1).
 *  - Reductions use at::Reduction codes (None=0, Mean=1, Sum=2).
 */
#ifndef CVTORCH_H
#define CVTORCH_H

#include <stdint.h>

#if defined(CVT_BUILDING)
#define CVT_API extern "C" __attribute__((visibility("default")))
#elif defined(__cplusplus)
#define CVT_API extern "C"
#else
#define CVT_API
#endif

#define CVT_OK 0
#define CVT_ERROR 1

typedef struct cvt_tensor_s* cvt_tensor;
typedef struct cvt_guard_s* cvt_guard;

/* errors.cpp */
CVT_API const char* cvt_last_error(void);

/* runtime.cpp */
CVT_API const char* cvt_torch_version(void);
CVT_API int64_t cvt_live_tensors(void);
CVT_API int cvt_set_num_threads(int n);
CVT_API int cvt_get_num_threads(void);
CVT_API int cvt_cuda_is_available(void);
CVT_API int cvt_cuda_device_count(void);
CVT_API int cvt_manual_seed(uint64_t seed);
CVT_API int cvt_cuda_synchronize(int device_index);

/* tensor_create.cpp */
CVT_API void cvt_tensor_free(cvt_tensor t);
CVT_API int cvt_from_data(const void* data, const int64_t* shape, int ndim, int dtype, cvt_tensor* out);
CVT_API int cvt_copy_to_buffer(cvt_tensor t, void* buffer, int64_t byte_count);
CVT_API int cvt_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_zeros(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_ones(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_full(const int64_t* shape, int ndim, double value, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_arange(double start, double end, double step, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_linspace(double start, double end, int64_t steps, int dtype, int device_type, int device_index, cvt_tensor* out);
CVT_API int cvt_scalar_tensor(double value, int dtype, int device_type, int device_index, cvt_tensor* out);

/* tensor_info.cpp */
CVT_API int cvt_ndim(cvt_tensor t, int* out);
CVT_API int cvt_shape(cvt_tensor t, int64_t* out);
CVT_API int cvt_strides(cvt_tensor t, int64_t* out);
CVT_API int cvt_storage_offset(cvt_tensor t, int64_t* out);
CVT_API int cvt_dtype(cvt_tensor t, int* out);
CVT_API int cvt_device(cvt_tensor t, int* device_type, int* device_index);
CVT_API int cvt_is_contiguous(cvt_tensor t, int* out);
CVT_API int cvt_item(cvt_tensor t, double* out);
CVT_API int cvt_same_storage(cvt_tensor a, cvt_tensor b, int* out);
/* 1 when the tensor is in oneDNN's blocked layout (PyTorch's torch._mkldnn), else 0 */
CVT_API int cvt_is_mkldnn(cvt_tensor t, int* out);

/* tensor_shape.cpp */
CVT_API int cvt_reshape(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out);
CVT_API int cvt_view(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out);
CVT_API int cvt_permute(cvt_tensor t, const int64_t* dims, int ndim, cvt_tensor* out);
CVT_API int cvt_transpose(cvt_tensor t, int64_t dim0, int64_t dim1, cvt_tensor* out);
CVT_API int cvt_narrow(cvt_tensor t, int64_t dim, int64_t start, int64_t length, cvt_tensor* out);
CVT_API int cvt_select(cvt_tensor t, int64_t dim, int64_t index, cvt_tensor* out);
CVT_API int cvt_squeeze(cvt_tensor t, int64_t dim, cvt_tensor* out);
CVT_API int cvt_unsqueeze(cvt_tensor t, int64_t dim, cvt_tensor* out);
CVT_API int cvt_expand(cvt_tensor t, const int64_t* shape, int ndim, cvt_tensor* out);
CVT_API int cvt_as_strided(cvt_tensor t, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset, cvt_tensor* out);
CVT_API int cvt_cat(const cvt_tensor* tensors, int count, int64_t dim, cvt_tensor* out);
CVT_API int cvt_stack(const cvt_tensor* tensors, int count, int64_t dim, cvt_tensor* out);
CVT_API int cvt_flip(cvt_tensor t, const int64_t* dims, int ndim, cvt_tensor* out);
CVT_API int cvt_pad(cvt_tensor t, const int64_t* pads, int npads, int mode, double value, cvt_tensor* out);
CVT_API int cvt_contiguous(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_clone(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_detach(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_alias(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_set_data(cvt_tensor self, cvt_tensor source);
CVT_API int cvt_to(cvt_tensor t, int device_type, int device_index, int dtype, int copy, cvt_tensor* out);
/* a float32 CPU tensor copied into oneDNN's blocked layout, and back into a dense C-order tensor */
CVT_API int cvt_to_mkldnn(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_to_dense(cvt_tensor t, cvt_tensor* out);

/* tensor_math.cpp */
CVT_API int cvt_add(cvt_tensor a, cvt_tensor b, double alpha, cvt_tensor* out);
CVT_API int cvt_sub(cvt_tensor a, cvt_tensor b, double alpha, cvt_tensor* out);
CVT_API int cvt_mul(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_div(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_add_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_mul_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_div_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_rsub_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_rdiv_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_neg(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_pow(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_pow_scalar(cvt_tensor a, double exponent, cvt_tensor* out);
CVT_API int cvt_exp(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_log(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_sqrt(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_abs(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_sigmoid(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_tanh(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_relu(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_leaky_relu(cvt_tensor a, double negative_slope, cvt_tensor* out);
CVT_API int cvt_softmax(cvt_tensor a, int64_t dim, cvt_tensor* out);
CVT_API int cvt_log_softmax(cvt_tensor a, int64_t dim, cvt_tensor* out);
CVT_API int cvt_matmul(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_eq(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_ne(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_lt(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_le(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_gt(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_ge(cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_eq_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_ne_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_lt_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_le_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_gt_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_ge_scalar(cvt_tensor a, double b, cvt_tensor* out);
CVT_API int cvt_where(cvt_tensor condition, cvt_tensor a, cvt_tensor b, cvt_tensor* out);
CVT_API int cvt_clamp(cvt_tensor a, int has_min, double min, int has_max, double max, cvt_tensor* out);
CVT_API int cvt_sum(cvt_tensor a, const int64_t* dims, int ndims, int keepdim, cvt_tensor* out);
CVT_API int cvt_mean(cvt_tensor a, const int64_t* dims, int ndims, int keepdim, cvt_tensor* out);
CVT_API int cvt_max_all(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_min_all(cvt_tensor a, cvt_tensor* out);
CVT_API int cvt_max_dim(cvt_tensor a, int64_t dim, int keepdim, cvt_tensor* values, cvt_tensor* indices);
CVT_API int cvt_min_dim(cvt_tensor a, int64_t dim, int keepdim, cvt_tensor* values, cvt_tensor* indices);
CVT_API int cvt_argmax(cvt_tensor a, int has_dim, int64_t dim, int keepdim, cvt_tensor* out);
CVT_API int cvt_norm(cvt_tensor a, double p, cvt_tensor* out);

/* in-place updates (optimisers, initialisers) */
CVT_API int cvt_add_(cvt_tensor self, cvt_tensor other, double alpha);
CVT_API int cvt_mul_scalar_(cvt_tensor self, double value);
CVT_API int cvt_add_scalar_(cvt_tensor self, double value);
CVT_API int cvt_addcmul_(cvt_tensor self, cvt_tensor a, cvt_tensor b, double value);
CVT_API int cvt_addcdiv_(cvt_tensor self, cvt_tensor a, cvt_tensor b, double value);
CVT_API int cvt_copy_(cvt_tensor self, cvt_tensor src);
CVT_API int cvt_fill_(cvt_tensor self, double value);
CVT_API int cvt_relu_(cvt_tensor self);
CVT_API int cvt_zero_(cvt_tensor self);
CVT_API int cvt_clamp_(cvt_tensor self, int has_min, double min, int has_max, double max);
CVT_API int cvt_uniform_(cvt_tensor self, double from, double to);
CVT_API int cvt_normal_(cvt_tensor self, double mean, double std);

/* tensor_index.cpp */
CVT_API int cvt_index_select(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor* out);
CVT_API int cvt_gather(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor* out);
CVT_API int cvt_scatter_add(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor src, cvt_tensor* out);
CVT_API int cvt_index_add(cvt_tensor t, int64_t dim, cvt_tensor index, cvt_tensor src, double alpha, cvt_tensor* out);

/* nn_functional.cpp */
CVT_API int cvt_conv2d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups, cvt_tensor* out);
/* whether float32 CPU 3-D convolutions on the calling thread all run on oneDNN instead of where PyTorch sends them */
CVT_API int cvt_conv3d_onednn_enabled(void);
CVT_API int cvt_set_conv3d_onednn(int enabled);
CVT_API int cvt_conv3d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups, cvt_tensor* out);
CVT_API int cvt_conv_transpose3d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride, const int64_t* padding, const int64_t* output_padding, const int64_t* dilation, int64_t groups, cvt_tensor* out);
CVT_API int cvt_max_pool2d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int ceil_mode, cvt_tensor* out);
CVT_API int cvt_max_pool3d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int ceil_mode, cvt_tensor* out);
CVT_API int cvt_avg_pool3d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding, int ceil_mode, int count_include_pad, cvt_tensor* out);
CVT_API int cvt_group_norm(cvt_tensor input, int64_t groups, cvt_tensor weight, cvt_tensor bias, double eps, cvt_tensor* out);
CVT_API int cvt_batch_norm(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor running_mean, cvt_tensor running_var, int training, double momentum, double eps, cvt_tensor* out);
CVT_API int cvt_instance_norm(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor running_mean, cvt_tensor running_var, int use_input_stats, double momentum, double eps, cvt_tensor* out);
CVT_API int cvt_linear(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor* out);
CVT_API int cvt_dropout(cvt_tensor input, double p, int training, cvt_tensor* out);
CVT_API int cvt_interpolate(cvt_tensor input, const int64_t* size, int nsize, const double* scale, int nscale, int mode, int align_corners, cvt_tensor* out);
CVT_API int cvt_grid_sample(cvt_tensor input, cvt_tensor grid, int mode, int padding_mode, int align_corners, cvt_tensor* out);

/* nn_loss.cpp */
CVT_API int cvt_nll_loss(cvt_tensor input, cvt_tensor target, cvt_tensor weight, int reduction, int64_t ignore_index, cvt_tensor* out);
CVT_API int cvt_cross_entropy(cvt_tensor input, cvt_tensor target, cvt_tensor weight, int reduction, int64_t ignore_index, double label_smoothing, cvt_tensor* out);
CVT_API int cvt_bce_with_logits(cvt_tensor input, cvt_tensor target, cvt_tensor weight, cvt_tensor pos_weight, int reduction, cvt_tensor* out);
CVT_API int cvt_l1_loss(cvt_tensor input, cvt_tensor target, int reduction, cvt_tensor* out);
CVT_API int cvt_mse_loss(cvt_tensor input, cvt_tensor target, int reduction, cvt_tensor* out);
CVT_API int cvt_smooth_l1_loss(cvt_tensor input, cvt_tensor target, int reduction, double beta, cvt_tensor* out);

/* autograd.cpp */
CVT_API int cvt_requires_grad(cvt_tensor t, int* out);
CVT_API int cvt_set_requires_grad(cvt_tensor t, int value);
CVT_API int cvt_backward(cvt_tensor t, cvt_tensor gradient, int retain_graph);
CVT_API int cvt_grad(cvt_tensor t, cvt_tensor* out);
CVT_API int cvt_clear_grad(cvt_tensor t);
CVT_API int cvt_grad_enabled(void);
CVT_API int cvt_set_grad_enabled(int enabled);
CVT_API int cvt_inference_mode_enter(cvt_guard* out);
CVT_API void cvt_inference_mode_exit(cvt_guard guard);
CVT_API int cvt_autocast_set(int device_type, int enabled, int dtype);
CVT_API int cvt_autocast_is_enabled(int device_type, int* out);
CVT_API int cvt_autocast_clear_cache(void);
CVT_API int cvt_autocast_increment_nesting(void);
CVT_API int cvt_autocast_decrement_nesting(void);

#endif
