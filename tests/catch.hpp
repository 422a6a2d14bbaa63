// SPDX-License-Identifier: Apache-2.0
#pragma once

// One include for Catch2 v2 (as Debian packages it) or v3. Tests use only the
// subset both share: TEST_CASE, SECTION, REQUIRE/CHECK, REQUIRE_THROWS_AS,
// Approx and GENERATE.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
using Catch::Approx;
#else
#include <catch2/catch.hpp>
#endif
