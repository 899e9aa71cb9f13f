# fincheck as an installable library: headers under include/fincheck, the
# static libraries, the fincheck program, and a CMake package
# (find_package(fincheck CONFIG) -> fincheck::model, fincheck::properties, ...).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(fincheck_libraries model impl drivers lwip exec properties stacks research)
foreach(name IN LISTS fincheck_libraries)
  set_target_properties(fincheck_${name} PROPERTIES EXPORT_NAME ${name})
endforeach()
list(TRANSFORM fincheck_libraries PREPEND fincheck_ OUTPUT_VARIABLE fincheck_targets)
install(TARGETS ${fincheck_targets} EXPORT fincheckTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS fincheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY model impl drivers properties stacks research
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fincheck
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT fincheckTargets NAMESPACE fincheck::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/fincheckConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/fincheckConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck)
