# embed.cmake - writes the OpenAPI document into a C file at build time, so
# the gateway serves exactly the document in the repository (never stale).
#   cmake -DIN=openapi.yaml -DOUT=gateway_openapi.c -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," arr "${hex}")
file(WRITE "${OUT}" "/* generated at build time from services/gateway/openapi.yaml */\n#include <stddef.h>\nconst char gateway_openapi_yaml[] = {${arr} 0};\nconst size_t gateway_openapi_yaml_len = ${bytes};\n")
