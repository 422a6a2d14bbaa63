// SPDX-License-Identifier: Apache-2.0
#pragma once

// Everything an embedding program needs.
#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/engine.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/figures.hpp>
#include <vitals/indicator.hpp>
#include <vitals/meetings.hpp>
#include <vitals/observation.hpp>
#include <vitals/options.hpp>
#include <vitals/output_file.hpp>
#include <vitals/period.hpp>
#include <vitals/progress.hpp>
#include <vitals/publish.hpp>
#include <vitals/report.hpp>
#include <vitals/rule_tests.hpp>
#include <vitals/source_location.hpp>
#include <vitals/status.hpp>
#include <vitals/version.hpp>
#include <vitals/year_end.hpp>
