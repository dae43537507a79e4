# Issue 15 item 5, `conlab compare BASE NEW`: rank statistics and the comparison of two
# results files (docs/compare.md).
target_sources(conlab_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compare/rank_tests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare/compare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare/compare_format.cpp
)
