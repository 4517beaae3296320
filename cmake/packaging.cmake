# The Debian package (./dev package): what `make install` puts where, and
# CPack's DEB generator around it. The maintainer scripts, conffiles list,
# copyright and changelog are in deploy/debian/.
include(GNUInstallDirs)

install(TARGETS orderd orderload RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES deploy/orderd.conf DESTINATION /etc/orderd)
# Debian 12 still ships units under /lib (usrmerge is done by symlinks).
install(FILES deploy/systemd/orderd.service DESTINATION /lib/systemd/system)
install(FILES deploy/grafana/orderd-dashboard.json DESTINATION ${CMAKE_INSTALL_DATADIR}/orderd/grafana)
install(FILES deploy/prometheus/prometheus.yml deploy/prometheus/alerts.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/orderd/prometheus)
install(FILES deploy/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES README.md docs/api.md docs/monitoring.md docs/journal-format.md docs/orderload.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages from each binary's --help, so they cannot drift from the flags;
# the changelog compressed as Debian policy asks (-n: no timestamp, so the
# package is reproducible).
set(ORDERD_PACKAGE_FILES ${CMAKE_BINARY_DIR}/package-files)
find_program(HELP2MAN help2man REQUIRED)
add_custom_command(
  OUTPUT ${ORDERD_PACKAGE_FILES}/orderd.1.gz ${ORDERD_PACKAGE_FILES}/orderload.1.gz
         ${ORDERD_PACKAGE_FILES}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ORDERD_PACKAGE_FILES}
  COMMAND ${HELP2MAN} --no-info --version-string=${PROJECT_VERSION}
          "--name=order processing and management engine"
          --output=${ORDERD_PACKAGE_FILES}/orderd.1 $<TARGET_FILE:orderd>
  COMMAND ${HELP2MAN} --no-info --version-string=${PROJECT_VERSION}
          "--name=HTTP load generator for orderd"
          --output=${ORDERD_PACKAGE_FILES}/orderload.1 $<TARGET_FILE:orderload>
  COMMAND gzip -9nf ${ORDERD_PACKAGE_FILES}/orderd.1 ${ORDERD_PACKAGE_FILES}/orderload.1
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/deploy/debian/changelog ${ORDERD_PACKAGE_FILES}/changelog
  COMMAND gzip -9nf ${ORDERD_PACKAGE_FILES}/changelog
  DEPENDS orderd orderload ${PROJECT_SOURCE_DIR}/deploy/debian/changelog
  VERBATIM)
add_custom_target(package_files ALL DEPENDS ${ORDERD_PACKAGE_FILES}/orderd.1.gz
                                            ${ORDERD_PACKAGE_FILES}/orderload.1.gz
                                            ${ORDERD_PACKAGE_FILES}/changelog.gz)
install(FILES ${ORDERD_PACKAGE_FILES}/orderd.1.gz ${ORDERD_PACKAGE_FILES}/orderload.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${ORDERD_PACKAGE_FILES}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME orderd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "orderd maintainers <maintainers@users.noreply.b-seed-83fb0bfa.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "order processing and management engine with an HTTP API")
# CPack indents each line and writes the empty one as Debian's " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "orderd takes orders over HTTP/1.1 (and HTTPS), reserves their stock
atomically, drives them through their lifecycle on a pool of workers and
keeps every change in a checksummed journal, so nothing acknowledged is
lost. It serves listings, customer histories and analytics, JSON Web Token
authentication with roles, rate limits and Prometheus metrics.

This package also holds orderload, a load generator that reports latency
percentiles corrected for coordinated omission, a systemd unit, and a
Grafana dashboard and Prometheus configuration under /usr/share/orderd.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
