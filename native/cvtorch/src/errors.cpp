// Per-thread error message storage: the only way a libtorch failure reaches managed code.
#include "common.h"

namespace {
thread_local std::string last_error;
}

namespace cvt {
void set_last_error(const char* message) { last_error = message ? message : ""; }
}  // namespace cvt

CVT_API const char* cvt_last_error(void) { return last_error.c_str(); }
