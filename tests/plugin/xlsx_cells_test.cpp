// SPDX-License-Identifier: Apache-2.0
// The xlsx plugin's rules for what a cell means: date serials in both date
// systems, which number formats show dates, cell references and ranges.
#include "catch.hpp"
#include "xlsx_cells.hpp"

#include <optional>
#include <string>

using vitals::xlsx::CellRef;
using vitals::xlsx::cell_name;
using vitals::xlsx::is_date_format;
using vitals::xlsx::iso_month;
using vitals::xlsx::parse_cell_ref;
using vitals::xlsx::parse_range;
using vitals::xlsx::parse_xml_number;
using vitals::xlsx::serial_month;

TEST_CASE("xlsx cells: date serials in the 1900 system, with its 29 February 1900",
          "[plugin][xlsx]") {
  CHECK(serial_month(1, false) == std::optional<std::string>("1900-01"));   // 1 January 1900
  CHECK(serial_month(31, false) == std::optional<std::string>("1900-01"));
  CHECK(serial_month(32, false) == std::optional<std::string>("1900-02"));  // 1 February
  CHECK(serial_month(59, false) == std::optional<std::string>("1900-02"));  // 28 February
  CHECK(serial_month(60, false) == std::optional<std::string>("1900-02"));  // "29 February"
  CHECK(serial_month(61, false) == std::optional<std::string>("1900-03"));  // 1 March
  CHECK(serial_month(42794, false) == std::optional<std::string>("2017-02"));  // 28 Feb 2017
  CHECK(serial_month(42795, false) == std::optional<std::string>("2017-03"));  // 1 Mar 2017
  CHECK(serial_month(42825.99, false) == std::optional<std::string>("2017-03"));  // 31 Mar, 23:45
  CHECK(serial_month(42826, false) == std::optional<std::string>("2017-04"));
  CHECK(serial_month(2958465, false) == std::optional<std::string>("9999-12"));  // Excel's last day
  CHECK_FALSE(serial_month(0, false));  // "0 January 1900"
  CHECK_FALSE(serial_month(-1, false));
  CHECK_FALSE(serial_month(2958466, false));
}

TEST_CASE("xlsx cells: date serials in the 1904 system", "[plugin][xlsx]") {
  CHECK(serial_month(0, true) == std::optional<std::string>("1904-01"));
  CHECK(serial_month(59, true) == std::optional<std::string>("1904-02"));  // 29 Feb 1904 was real
  CHECK(serial_month(60, true) == std::optional<std::string>("1904-03"));
  CHECK(serial_month(41333, true) == std::optional<std::string>("2017-03"));  // 42795 - 1462
}

TEST_CASE("xlsx cells: ISO dates of date cells", "[plugin][xlsx]") {
  CHECK(iso_month("2017-03-01") == std::optional<std::string>("2017-03"));
  CHECK(iso_month("2017-03-31T12:00:00") == std::optional<std::string>("2017-03"));
  CHECK_FALSE(iso_month("2017-13-01"));
  CHECK_FALSE(iso_month("2017-03"));
  CHECK_FALSE(iso_month("01/03/2017"));
}

TEST_CASE("xlsx cells: which number formats show dates", "[plugin][xlsx]") {
  CHECK(is_date_format(14, ""));  // the built-in short date
  CHECK(is_date_format(17, ""));  // mmm-yy
  CHECK(is_date_format(22, ""));
  CHECK_FALSE(is_date_format(0, ""));   // General
  CHECK_FALSE(is_date_format(10, ""));  // 0.00%
  CHECK(is_date_format(164, "mmm-yy"));
  CHECK(is_date_format(165, "yyyy\\-mm\\-dd"));  // as LibreOffice writes ISO dates
  CHECK(is_date_format(166, "[$-809]dd/mm/yyyy;@"));
  CHECK(is_date_format(167, "[h]:mm"));
  CHECK_FALSE(is_date_format(164, "General"));  // LibreOffice declares General as a custom format
  CHECK_FALSE(is_date_format(168, "0.0%"));
  CHECK_FALSE(is_date_format(169, "[Red]#,##0.0;[Blue]-#,##0.0"));
  CHECK_FALSE(is_date_format(170, "0.0 \"days\""));
  CHECK_FALSE(is_date_format(171, "#,##0\\ \\m"));  // an escaped m is text
  CHECK_FALSE(is_date_format(172, "0.00E+00"));
}

TEST_CASE("xlsx cells: references, ranges and numbers", "[plugin][xlsx]") {
  CHECK(parse_cell_ref("C7")->row == 7);
  CHECK(parse_cell_ref("C7")->column == 3);
  CHECK(parse_cell_ref("$AA$10")->column == 27);
  CHECK(parse_cell_ref("XFD1048576")->column == 16384);
  CHECK_FALSE(parse_cell_ref("XFE1"));
  CHECK_FALSE(parse_cell_ref("A1048577"));
  CHECK_FALSE(parse_cell_ref("A0"));
  CHECK_FALSE(parse_cell_ref("7C"));
  CHECK(cell_name(CellRef{20, 16}) == "P20");
  CHECK(cell_name(CellRef{1, 16384}) == "XFD1");
  auto r = parse_range(" P20:A3 ");
  REQUIRE(r);
  CHECK(cell_name(r->first) == "A3");
  CHECK(cell_name(r->last) == "P20");
  CHECK_FALSE(parse_range("A3:"));
  CHECK(parse_xml_number("0.6666666666666666") == 2.0 / 3.0);
  CHECK(parse_xml_number("1.5E-7") == 1.5e-7);
  CHECK_FALSE(parse_xml_number("1,5"));
  CHECK_FALSE(parse_xml_number("inf"));
}
