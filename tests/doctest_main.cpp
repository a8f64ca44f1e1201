// The core tests' main(): doctest's, so every executable takes its options (-tc="name", -s, -ltc).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
