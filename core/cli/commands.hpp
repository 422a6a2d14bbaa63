// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace vitals::cli {

constexpr int kExitOk = 0;
constexpr int kExitDiagnostics = 1;  // completed, with error diagnostics
constexpr int kExitUsage = 2;        // invalid input or usage
constexpr int kExitFailure = 3;      // store or internal failure

int run_evaluate(int argc, char** argv);
int run_check(int argc, char** argv);
int run_ingest(int argc, char** argv);

}  // namespace vitals::cli
