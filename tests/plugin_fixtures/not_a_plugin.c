// SPDX-License-Identifier: Apache-2.0
/* An ordinary shared library that happens to sit in a plugin directory. */
__attribute__((visibility("default"))) int not_a_plugin_answer(void);

int not_a_plugin_answer(void) { return 42; }
