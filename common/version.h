/*
 * version.h - the version every binary prints for --version: the release
 * and the git revision it was built from (CMakeLists.txt writes it).
 */
#ifndef LA_VERSION_H
#define LA_VERSION_H

extern const char la_version[];

#endif
