// SPDX-License-Identifier: Apache-2.0
// Written against the bare C ABI, without the SDK's shims, and broken on
// purpose: its fetch lets a C++ exception escape into the host, which must
// catch it rather than terminate.
#include <vitals/plugin/abi.h>

#include <stdexcept>

namespace {

int instance_token = 0;

int create(vitals_call*, const vitals_source_config*, void** out_instance) {
  *out_instance = &instance_token;
  return VITALS_OK;
}

int fetch(void*, vitals_call*) { throw std::runtime_error("escaped from fetch"); }

int destroy(void*, vitals_call*) { return VITALS_OK; }

const vitals_plugin_descriptor kDescriptor = {sizeof(vitals_plugin_descriptor),
                                              VITALS_PLUGIN_ABI_MAJOR,
                                              0,
                                              "throws_across_abi",
                                              "1.0.0",
                                              "bare C ABI fixture",
                                              0,
                                              &create,
                                              nullptr,
                                              &fetch,
                                              &destroy};

}  // namespace

extern "C" const vitals_plugin_descriptor* vitals_plugin_entry_v1(const vitals_host_api*) {
  return &kDescriptor;
}
