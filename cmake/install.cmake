# fincheck as an installable library: headers under include/fincheck, the
# static libraries, the fincheck program, and a CMake package
# (find_package(fincheck CONFIG) -> fincheck::model, fincheck::properties, ...).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(fincheck_libraries model impl capture drivers lwip exec linux properties explore stacks research report)
foreach(name IN LISTS fincheck_libraries)
  set_target_properties(fincheck_${name} PROPERTIES EXPORT_NAME ${name})
endforeach()
list(TRANSFORM fincheck_libraries PREPEND fincheck_ OUTPUT_VARIABLE fincheck_targets)
install(TARGETS ${fincheck_targets} EXPORT fincheckTargets COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY model impl capture drivers properties explore stacks research report
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fincheck COMPONENT dev
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT fincheckTargets NAMESPACE fincheck:: COMPONENT dev
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck)

# The program, what it reads, and its manual page, written by the program
# itself from its command line (tools/man_page.hpp).
install(TARGETS fincheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY scenarios experiments DESTINATION ${CMAKE_INSTALL_DATADIR}/fincheck
  COMPONENT runtime)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/fincheck.1.gz
  COMMAND sh -c "\"$1\" man | gzip -9n > fincheck.1.gz" sh $<TARGET_FILE:fincheck>
  DEPENDS fincheck
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
  VERBATIM)
add_custom_target(manpage ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/fincheck.1.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/fincheck.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/fincheckConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/fincheckConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/fincheckConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fincheck COMPONENT dev)

# cpack -G DEB: the runtime component as one Debian package, fincheck.
set(CPACK_PACKAGE_NAME fincheck)
set(CPACK_PACKAGE_VENDOR fincheck)
set(CPACK_PACKAGE_CONTACT "fincheck maintainers <fincheck@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "checks the TCP connection teardown against a formal model")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};fincheck;runtime;/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# What `ldd fincheck` needs, by Debian 12's package names.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "liblwip0 (>= 2.1.3), libmnl0, libpcap0.8, libstdc++6, libc6, libgcc-s1")
# Graphviz draws the state diagram (table --svg), gnuplot the research plots.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "graphviz, gnuplot-nox")
include(CPack)
