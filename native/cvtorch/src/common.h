// Internal helpers shared by the cvtorch translation units.
#pragma once

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <atomic>
#include <string>
#include <vector>

#include "cvtorch.h"

namespace cvt {

// Stores the message of the exception being handled for cvt_last_error.
void set_last_error(const char* message);

// Number of cvt_tensor handles that have been created and not yet freed.
extern std::atomic<int64_t> live_tensors;

inline at::Tensor& unwrap(cvt_tensor t) {
  if (t == nullptr) throw std::invalid_argument("a tensor argument is null (disposed or never created)");
  return *reinterpret_cast<at::Tensor*>(t);
}

inline c10::optional<at::Tensor> optional(cvt_tensor t) {
  if (t == nullptr) return c10::nullopt;
  return unwrap(t);
}

inline cvt_tensor wrap(at::Tensor value) {
  auto* handle = new at::Tensor(std::move(value));
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return reinterpret_cast<cvt_tensor>(handle);
}

inline at::IntArrayRef ints(const int64_t* values, int count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

// A Scalar for combining `value` with `t`: integral when both are, so int64 tensors stay int64
// (as Python's `t + 1`), floating otherwise.
inline at::Scalar scalar_for(const at::Tensor& t, double value) {
  if (!at::isFloatingType(t.scalar_type()) && !at::isComplexType(t.scalar_type()) && value == static_cast<double>(static_cast<int64_t>(value)))
    return at::Scalar(static_cast<int64_t>(value));
  return at::Scalar(value);
}

inline at::ScalarType scalar_type(int code) { return static_cast<at::ScalarType>(code); }

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(scalar_type(dtype))
      .device(at::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

inline at::Reduction::Reduction reduction(int code) {
  if (code < 0 || code > 2) throw std::invalid_argument("reduction must be 0 (none), 1 (mean) or 2 (sum)");
  return static_cast<at::Reduction::Reduction>(code);
}

}  // namespace cvt

// Runs `body`; converts any exception into CVT_ERROR with its message kept for cvt_last_error.
#define CVT_GUARD(body)                                          \
  try {                                                          \
    body;                                                        \
    return CVT_OK;                                               \
  } catch (const c10::Error& e) {                                \
    cvt::set_last_error(e.what_without_backtrace());             \
  } catch (const std::exception& e) {                            \
    cvt::set_last_error(e.what());                               \
  } catch (...) {                                                \
    cvt::set_last_error("unknown native error in cvtorch");      \
  }                                                              \
  return CVT_ERROR;

// Runs an expression producing an at::Tensor and stores a new handle in *out.
#define CVT_RETURN(expression) CVT_GUARD(*out = cvt::wrap(expression))
