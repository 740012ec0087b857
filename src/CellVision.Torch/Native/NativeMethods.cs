using System.Runtime.InteropServices;

namespace CellVision.Torch.Native;

/// <summary>P/Invoke declarations for native/cvtorch. Each function mirrors one C function of cvtorch.h.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "cvtorch";

    [LibraryImport(Library)] internal static partial nint cvt_last_error();
    [LibraryImport(Library)] internal static partial nint cvt_torch_version();
    [LibraryImport(Library)] internal static partial long cvt_live_tensors();
    [LibraryImport(Library)] internal static partial int cvt_set_num_threads(int n);
    [LibraryImport(Library)] internal static partial int cvt_get_num_threads();
    [LibraryImport(Library)] internal static partial int cvt_cuda_is_available();
    [LibraryImport(Library)] internal static partial int cvt_cuda_device_count();
    [LibraryImport(Library)] internal static partial int cvt_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int cvt_cuda_synchronize(int deviceIndex);

    [LibraryImport(Library)] internal static partial void cvt_tensor_free(nint t);
    [LibraryImport(Library)] internal static partial int cvt_from_data(void* data, long* shape, int ndim, int dtype, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_copy_to_buffer(TensorHandle t, void* buffer, long byteCount);
    [LibraryImport(Library)] internal static partial int cvt_empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_zeros(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_ones(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_rand(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_randn(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_scalar_tensor(double value, int dtype, int deviceType, int deviceIndex, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_ndim(TensorHandle t, out int result);
    [LibraryImport(Library)] internal static partial int cvt_shape(TensorHandle t, long* result);
    [LibraryImport(Library)] internal static partial int cvt_strides(TensorHandle t, long* result);
    [LibraryImport(Library)] internal static partial int cvt_storage_offset(TensorHandle t, out long result);
    [LibraryImport(Library)] internal static partial int cvt_dtype(TensorHandle t, out int result);
    [LibraryImport(Library)] internal static partial int cvt_device(TensorHandle t, out int deviceType, out int deviceIndex);
    [LibraryImport(Library)] internal static partial int cvt_is_contiguous(TensorHandle t, out int result);
    [LibraryImport(Library)] internal static partial int cvt_is_mkldnn(TensorHandle t, out int result);
    [LibraryImport(Library)] internal static partial int cvt_item(TensorHandle t, out double result);
    [LibraryImport(Library)] internal static partial int cvt_same_storage(TensorHandle a, TensorHandle b, out int result);

    [LibraryImport(Library)] internal static partial int cvt_reshape(TensorHandle t, long* shape, int ndim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_view(TensorHandle t, long* shape, int ndim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_permute(TensorHandle t, long* dims, int ndim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_transpose(TensorHandle t, long dim0, long dim1, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_narrow(TensorHandle t, long dim, long start, long length, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_select(TensorHandle t, long dim, long index, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_squeeze(TensorHandle t, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_unsqueeze(TensorHandle t, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_expand(TensorHandle t, long* shape, int ndim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_as_strided(TensorHandle t, long* shape, long* strides, int ndim, long offset, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_cat(nint* tensors, int count, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_stack(nint* tensors, int count, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_flip(TensorHandle t, long* dims, int ndim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_pad(TensorHandle t, long* pads, int npads, int mode, double value, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_contiguous(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_clone(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_to_mkldnn(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_to_dense(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_detach(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_alias(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_set_data(TensorHandle self, TensorHandle source);
    [LibraryImport(Library)] internal static partial int cvt_to(TensorHandle t, int deviceType, int deviceIndex, int dtype, int copy, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_add(TensorHandle a, TensorHandle b, double alpha, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_sub(TensorHandle a, TensorHandle b, double alpha, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_mul(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_div(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_add_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_mul_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_div_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_rsub_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_rdiv_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_neg(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_pow(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_pow_scalar(TensorHandle a, double exponent, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_exp(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_log(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_sqrt(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_abs(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_sigmoid(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_tanh(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_relu(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_leaky_relu(TensorHandle a, double negativeSlope, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_softmax(TensorHandle a, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_log_softmax(TensorHandle a, long dim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_matmul(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_eq(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_ne(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_lt(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_le(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_gt(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_ge(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_eq_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_ne_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_lt_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_le_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_gt_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_ge_scalar(TensorHandle a, double b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_where(TensorHandle condition, TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_clamp(TensorHandle a, int hasMin, double min, int hasMax, double max, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_sum(TensorHandle a, long* dims, int ndims, int keepdim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_mean(TensorHandle a, long* dims, int ndims, int keepdim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_max_all(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_min_all(TensorHandle a, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_max_dim(TensorHandle a, long dim, int keepdim, out nint values, out nint indices);
    [LibraryImport(Library)] internal static partial int cvt_min_dim(TensorHandle a, long dim, int keepdim, out nint values, out nint indices);
    [LibraryImport(Library)] internal static partial int cvt_argmax(TensorHandle a, int hasDim, long dim, int keepdim, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_norm(TensorHandle a, double p, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_add_(TensorHandle self, TensorHandle other, double alpha);
    [LibraryImport(Library)] internal static partial int cvt_mul_scalar_(TensorHandle self, double value);
    [LibraryImport(Library)] internal static partial int cvt_add_scalar_(TensorHandle self, double value);
    [LibraryImport(Library)] internal static partial int cvt_addcmul_(TensorHandle self, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Library)] internal static partial int cvt_addcdiv_(TensorHandle self, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Library)] internal static partial int cvt_copy_(TensorHandle self, TensorHandle source);
    [LibraryImport(Library)] internal static partial int cvt_fill_(TensorHandle self, double value);
    [LibraryImport(Library)] internal static partial int cvt_relu_(TensorHandle self);
    [LibraryImport(Library)] internal static partial int cvt_zero_(TensorHandle self);
    [LibraryImport(Library)] internal static partial int cvt_clamp_(TensorHandle self, int hasMin, double min, int hasMax, double max);
    [LibraryImport(Library)] internal static partial int cvt_uniform_(TensorHandle self, double from, double to);
    [LibraryImport(Library)] internal static partial int cvt_normal_(TensorHandle self, double mean, double std);

    [LibraryImport(Library)] internal static partial int cvt_index_select(TensorHandle t, long dim, TensorHandle index, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_gather(TensorHandle t, long dim, TensorHandle index, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_scatter_add(TensorHandle t, long dim, TensorHandle index, TensorHandle source, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_index_add(TensorHandle t, long dim, TensorHandle index, TensorHandle source, double alpha, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_conv3d_onednn_enabled();
    [LibraryImport(Library)] internal static partial int cvt_set_conv3d_onednn(int enabled);
    [LibraryImport(Library)] internal static partial int cvt_conv3d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_conv_transpose3d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* outputPadding, long* dilation, long groups, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_max_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, long* dilation, int ceilMode, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_max_pool3d(TensorHandle input, long* kernel, long* stride, long* padding, long* dilation, int ceilMode, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_avg_pool3d(TensorHandle input, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_group_norm(TensorHandle input, long groups, TensorHandle weight, TensorHandle bias, double eps, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_instance_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int useInputStats, double momentum, double eps, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_linear(TensorHandle input, TensorHandle weight, TensorHandle bias, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_dropout(TensorHandle input, double p, int training, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_interpolate(TensorHandle input, long* size, int nsize, double* scale, int nscale, int mode, int alignCorners, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_grid_sample(TensorHandle input, TensorHandle grid, int mode, int paddingMode, int alignCorners, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_bce_with_logits(TensorHandle input, TensorHandle target, TensorHandle weight, TensorHandle posWeight, int reduction, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_l1_loss(TensorHandle input, TensorHandle target, int reduction, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_mse_loss(TensorHandle input, TensorHandle target, int reduction, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_smooth_l1_loss(TensorHandle input, TensorHandle target, int reduction, double beta, out nint result);

    [LibraryImport(Library)] internal static partial int cvt_requires_grad(TensorHandle t, out int result);
    [LibraryImport(Library)] internal static partial int cvt_set_requires_grad(TensorHandle t, int value);
    [LibraryImport(Library)] internal static partial int cvt_backward(TensorHandle t, TensorHandle gradient, int retainGraph);
    [LibraryImport(Library)] internal static partial int cvt_grad(TensorHandle t, out nint result);
    [LibraryImport(Library)] internal static partial int cvt_clear_grad(TensorHandle t);
    [LibraryImport(Library)] internal static partial int cvt_grad_enabled();
    [LibraryImport(Library)] internal static partial int cvt_set_grad_enabled(int enabled);
    [LibraryImport(Library)] internal static partial int cvt_inference_mode_enter(out nint guard);
    [LibraryImport(Library)] internal static partial void cvt_inference_mode_exit(nint guard);
    [LibraryImport(Library)] internal static partial int cvt_autocast_set(int deviceType, int enabled, int dtype);
    [LibraryImport(Library)] internal static partial int cvt_autocast_is_enabled(int deviceType, out int result);
    [LibraryImport(Library)] internal static partial int cvt_autocast_clear_cache();
    [LibraryImport(Library)] internal static partial int cvt_autocast_increment_nesting();
    [LibraryImport(Library)] internal static partial int cvt_autocast_decrement_nesting();
}
