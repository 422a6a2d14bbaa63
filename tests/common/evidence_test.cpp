// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>

#include "catch.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

using vitals::Evidence;
using vitals::EvidenceValue;

namespace {

std::vector<std::string> keys(const Evidence& e) {
  std::vector<std::string> out;
  for (const auto& [k, v] : e) out.push_back(k);
  return out;
}

}  // namespace

TEST_CASE("evidence iterates in key order whatever the insertion order", "[common][evidence]") {
  Evidence e;
  e["variance_pct"] = 12.5;
  e["rag"] = std::string("red");
  e.insert_or_assign("B", true);
  e["value"] = 3.5;
  e.insert_or_assign("a", 1.0);
  e["period"] = std::string("2017-03");
  CHECK(keys(e) == std::vector<std::string>{"B", "a", "period", "rag", "value", "variance_pct"});

  Evidence from_list = {{"z", 1.0}, {"m", true}, {"a", std::string("x")}};
  CHECK(keys(from_list) == std::vector<std::string>{"a", "m", "z"});

  std::vector<Evidence::value_type> many;
  for (int i = 99; i >= 0; --i) many.emplace_back("k" + std::to_string(1000 + i), double(i));
  Evidence large(std::move(many));
  REQUIRE(large.size() == 100);
  CHECK(large.begin()->first == "k1000");
  CHECK(std::get<double>(large.begin()->second) == 0);
  CHECK(std::prev(large.end())->first == "k1099");
}

TEST_CASE("evidence operator[] inserts a missing key and overwrites an existing one",
          "[common][evidence]") {
  Evidence e = {{"run", 3.0}};
  EvidenceValue& inserted = e["met"];
  CHECK(std::get<bool>(inserted) == false);  // a default value is false
  CHECK(e.size() == 2);
  CHECK(keys(e) == std::vector<std::string>{"met", "run"});

  e["run"] = std::string("three");
  CHECK(e.size() == 2);
  CHECK(std::get<std::string>(e.at("run")) == "three");

  auto [it, inserted_new] = e.insert_or_assign("run", 4.0);
  CHECK_FALSE(inserted_new);
  CHECK(it->first == "run");
  CHECK(std::get<double>(it->second) == 4.0);
  auto [it2, inserted_other] = e.insert_or_assign("adverse_changes", 2.0);
  CHECK(inserted_other);
  CHECK(it2 == e.begin());
  CHECK(e.size() == 3);
}

TEST_CASE("evidence find, at and contains tell present keys from missing ones",
          "[common][evidence]") {
  const Evidence e = {{"target", 1.5}, {"met", false}, {"note", std::string("x")}};
  auto it = e.find("note");
  REQUIRE(it != e.end());
  CHECK(std::get<std::string>(it->second) == "x");
  CHECK(e.find("notes") == e.end());
  CHECK(e.find("") == e.end());
  CHECK(e.contains("met"));
  CHECK_FALSE(e.contains("missing"));
  CHECK(std::get<double>(e.at("target")) == 1.5);
  CHECK_THROWS_AS(e.at("missing"), std::out_of_range);

  Evidence mutable_copy = e;
  std::get<double>(mutable_copy.at("target")) = 2.0;
  CHECK(std::get<double>(mutable_copy.at("target")) == 2.0);
  CHECK_THROWS_AS(mutable_copy.at("zzz"), std::out_of_range);
  CHECK(mutable_copy.size() == 3);  // at() never inserts
}

TEST_CASE("evidence built from a list with a repeated key keeps the last value",
          "[common][evidence]") {
  Evidence e = {{"b", 1.0}, {"a", true}, {"b", 2.0}, {"c", std::string("x")}, {"b", 3.0}};
  CHECK(keys(e) == std::vector<std::string>{"a", "b", "c"});
  CHECK(std::get<double>(e.at("b")) == 3.0);

  Evidence sorted_repeat = {{"a", 1.0}, {"a", 2.0}};
  CHECK(sorted_repeat.size() == 1);
  CHECK(std::get<double>(sorted_repeat.at("a")) == 2.0);

  std::vector<Evidence::value_type> many;
  for (int i = 0; i < 50; ++i) {
    many.emplace_back(i % 2 == 0 ? "even" : "k" + std::to_string(i), double(i));
  }
  Evidence large(std::move(many));
  CHECK(large.size() == 26);
  CHECK(std::get<double>(large.at("even")) == 48.0);
  CHECK(large.begin()->first == "even");
}

TEST_CASE("evidence is equal when its keys and values are", "[common][evidence]") {
  Evidence a = {{"run", 3.0}, {"period", std::string("2017-03")}};
  Evidence b;
  b["period"] = std::string("2017-03");
  b["run"] = 3.0;
  CHECK(a == b);
  b["run"] = 4.0;
  CHECK(a != b);
  b["run"] = true;  // same key, another type
  CHECK(a != b);
  b["run"] = 3.0;
  b["extra"] = false;
  CHECK(a != b);
  CHECK(Evidence() == Evidence{});
}

TEST_CASE("evidence reports its size and can be cleared", "[common][evidence]") {
  Evidence e;
  CHECK(e.empty());
  CHECK(e.size() == 0);
  e.reserve(4);
  CHECK(e.empty());
  e = {{"period", std::string("x")}, {"value", 3.5}};
  CHECK_FALSE(e.empty());
  CHECK(e.size() == 2);
  e.clear();
  CHECK(e.empty());
  CHECK(e.size() == 0);
  CHECK(e.begin() == e.end());
  CHECK_FALSE(e.contains("period"));
}

TEST_CASE("evidence given in any order comes out sorted, each value with its key",
          "[common][evidence]") {
  std::vector<std::string> keys{"a", "bb", "c", "period", "run", "value"};
  int orders = 0;
  do {
    std::vector<Evidence::value_type> entries;
    for (const std::string& k : keys) entries.emplace_back(k, k + "!");
    Evidence e(std::move(entries));
    REQUIRE(e.size() == keys.size());
    std::string last;
    for (const auto& [k, v] : e) {
      CHECK(k > last);
      CHECK(std::get<std::string>(v) == k + "!");
      last = k;
    }
    ++orders;
  } while (std::next_permutation(keys.begin(), keys.end()));
  CHECK(orders == 720);
}
