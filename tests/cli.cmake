# tests/cli.cmake: the command-line tool `daemonplan` (examples/daemonplan): its readers' unit test,
# golden outputs (tests/golden), the bad-input corpus (tests/bad-input) and the libFuzzer target
# (tests/fuzz). Included from tests/CMakeLists.txt when the examples, and so the tool, are built.

daemonplan_add_test(NAME cli_test SOURCES cli_test.cpp LIBS daemonplan_cli_lib)
