// Integration tests of chorus-sandbox: every test drives a real sandbox
// process on an ephemeral loopback port through its HTTP API.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
