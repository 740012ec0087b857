// Neural-network building blocks: convolutions, pooling, normalisation, resampling.
#include "common.h"

#include <algorithm>
#include <array>

using cvt::ints;
using cvt::optional;
using cvt::unwrap;
namespace F = torch::nn::functional;

CVT_API int cvt_conv2d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride,
                       const int64_t* padding, const int64_t* dilation, int64_t groups, cvt_tensor* out) {
  CVT_RETURN(at::conv2d(unwrap(input), unwrap(weight), optional(bias), ints(stride, 2), ints(padding, 2),
                        ints(dilation, 2), groups))
}

// PyTorch sends a float32 CPU convolution to its unfold-and-multiply kernel instead of oneDNN when
// N·C·D·H ≤ 20480, a rule tuned for 2-D images that ignores the width, and picks the kernel of the
// backward pass by the same rule. For 3-D volumes it catches single-channel inputs and U-Net
// bottlenecks (for example 128 → 256 channels at 8×16×16), where the unfold kernel (whose matrix
// products go to the system BLAS) runs 5–20 times slower than oneDNN. While a thread asks for it,
// such a convolution runs on the volume with its spatial axes reordered largest first (the same
// convolution, its kernel, stride, padding and dilation reordered alike), which PyTorch sends to
// oneDNN in both passes; where even that stays under the limit, the forward pass calls oneDNN
// directly. oneDNN computes the same sums in another order, so results differ from PyTorch's by
// float32 rounding.
static thread_local bool onednn_for_all_3d = false;

CVT_API int cvt_conv3d_onednn_enabled(void) { return onednn_for_all_3d ? 1 : 0; }

CVT_API int cvt_set_conv3d_onednn(int enabled) {
  onednn_for_all_3d = enabled != 0;
  return CVT_OK;
}

static constexpr int64_t pytorch_onednn_limit = 20480;

static bool pytorch_picks_unfold(const at::Tensor& input) {
  return input.size(0) * input.size(1) * input.size(2) * input.size(3) <= pytorch_onednn_limit;
}

static bool reroute_to_onednn(const at::Tensor& input, const at::Tensor& weight, const c10::optional<at::Tensor>& bias) {
  if (!onednn_for_all_3d || !at::hasMKLDNN() || !at::globalContext().userEnabledMkldnn()) return false;
  if (at::autocast::is_cpu_enabled()) return false;
  if (!input.device().is_cpu() || input.layout() != at::kStrided || weight.layout() != at::kStrided) return false;
  if (input.dim() != 5 || input.scalar_type() != at::kFloat || weight.scalar_type() != at::kFloat) return false;
  if (bias.has_value() && bias->defined() && bias->scalar_type() != at::kFloat) return false;
  return pytorch_picks_unfold(input);
}

static std::vector<int64_t> reorder(at::IntArrayRef values, const std::array<int64_t, 5>& order) {
  return {values[order[2] - 2], values[order[3] - 2], values[order[4] - 2]};
}

static at::Tensor convolve3d(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& b,
                             at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef dilation, int64_t groups) {
  if (!reroute_to_onednn(x, w, b)) return at::conv3d(x, w, b, stride, padding, dilation, groups);
  std::array<int64_t, 5> order{0, 1, 2, 3, 4};
  std::stable_sort(order.begin() + 2, order.end(), [&](int64_t a, int64_t c) { return x.size(a) > x.size(c); });
  auto reordered = x.permute(order);
  if (pytorch_picks_unfold(reordered))
    return at::mkldnn_convolution(x.contiguous(), w.contiguous(), b, padding, stride, dilation, groups);
  std::array<int64_t, 5> inverse{};
  for (int64_t a = 0; a < 5; a++) inverse[order[a]] = a;
  auto y = at::conv3d(reordered, w.permute(order), b, reorder(stride, order), reorder(padding, order),
                      reorder(dilation, order), groups);
  return y.permute(inverse).contiguous();
}

CVT_API int cvt_conv3d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride,
                       const int64_t* padding, const int64_t* dilation, int64_t groups, cvt_tensor* out) {
  CVT_RETURN(convolve3d(unwrap(input), unwrap(weight), optional(bias), ints(stride, 3), ints(padding, 3),
                        ints(dilation, 3), groups))
}

CVT_API int cvt_conv_transpose3d(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, const int64_t* stride,
                                 const int64_t* padding, const int64_t* output_padding, const int64_t* dilation,
                                 int64_t groups, cvt_tensor* out) {
  CVT_RETURN(at::conv_transpose3d(unwrap(input), unwrap(weight), optional(bias), ints(stride, 3), ints(padding, 3),
                                  ints(output_padding, 3), groups, ints(dilation, 3)))
}

CVT_API int cvt_max_pool2d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                           const int64_t* dilation, int ceil_mode, cvt_tensor* out) {
  CVT_RETURN(at::max_pool2d(unwrap(input), ints(kernel, 2), ints(stride, 2), ints(padding, 2), ints(dilation, 2),
                            ceil_mode != 0))
}

CVT_API int cvt_max_pool3d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                           const int64_t* dilation, int ceil_mode, cvt_tensor* out) {
  CVT_RETURN(at::max_pool3d(unwrap(input), ints(kernel, 3), ints(stride, 3), ints(padding, 3), ints(dilation, 3),
                            ceil_mode != 0))
}

CVT_API int cvt_avg_pool3d(cvt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                           int ceil_mode, int count_include_pad, cvt_tensor* out) {
  CVT_RETURN(at::avg_pool3d(unwrap(input), ints(kernel, 3), ints(stride, 3), ints(padding, 3), ceil_mode != 0,
                            count_include_pad != 0))
}

CVT_API int cvt_group_norm(cvt_tensor input, int64_t groups, cvt_tensor weight, cvt_tensor bias, double eps,
                           cvt_tensor* out) {
  CVT_RETURN(at::group_norm(unwrap(input), groups, optional(weight), optional(bias), eps))
}

CVT_API int cvt_batch_norm(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor running_mean,
                           cvt_tensor running_var, int training, double momentum, double eps, cvt_tensor* out) {
  CVT_RETURN(at::batch_norm(unwrap(input), optional(weight), optional(bias), optional(running_mean),
                            optional(running_var), training != 0, momentum, eps, /*cudnn_enabled=*/true))
}

CVT_API int cvt_instance_norm(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor running_mean,
                              cvt_tensor running_var, int use_input_stats, double momentum, double eps,
                              cvt_tensor* out) {
  CVT_RETURN(at::instance_norm(unwrap(input), optional(weight), optional(bias), optional(running_mean),
                               optional(running_var), use_input_stats != 0, momentum, eps, /*cudnn_enabled=*/true))
}

CVT_API int cvt_linear(cvt_tensor input, cvt_tensor weight, cvt_tensor bias, cvt_tensor* out) {
  CVT_RETURN(at::linear(unwrap(input), unwrap(weight), optional(bias)))
}

CVT_API int cvt_dropout(cvt_tensor input, double p, int training, cvt_tensor* out) {
  CVT_RETURN(at::dropout(unwrap(input), p, training != 0))
}

// mode: 0 nearest, 1 linear, 2 bilinear, 3 trilinear. align_corners: -1 unset, 0 false, 1 true.
CVT_API int cvt_interpolate(cvt_tensor input, const int64_t* size, int nsize, const double* scale, int nscale,
                            int mode, int align_corners, cvt_tensor* out) {
  CVT_GUARD({
    auto options = F::InterpolateFuncOptions();
    if (nsize > 0) options.size(std::vector<int64_t>(size, size + nsize));
    if (nscale > 0) options.scale_factor(std::vector<double>(scale, scale + nscale));
    switch (mode) {
      case 0: options.mode(torch::kNearest); break;
      case 1: options.mode(torch::kLinear); break;
      case 2: options.mode(torch::kBilinear); break;
      case 3: options.mode(torch::kTrilinear); break;
      default: throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
    }
    if (align_corners >= 0) options.align_corners(align_corners != 0);
    *out = cvt::wrap(F::interpolate(unwrap(input), options));
  })
}

// mode: 0 bilinear, 1 nearest, 2 bicubic. padding_mode: 0 zeros, 1 border, 2 reflection.
CVT_API int cvt_grid_sample(cvt_tensor input, cvt_tensor grid, int mode, int padding_mode, int align_corners,
                            cvt_tensor* out) {
  CVT_RETURN(at::grid_sampler(unwrap(input), unwrap(grid), mode, padding_mode, align_corners != 0))
}
