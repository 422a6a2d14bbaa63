// SPDX-License-Identifier: Apache-2.0
#include <iostream>

#include <vitals/version.hpp>

int main() {
  std::cout << "vitals " << vitals::version_string() << "\n";
  return 0;
}
