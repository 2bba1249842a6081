/* SPDX-License-Identifier: BSD-2-Clause */
/* Every fuzz target defines this libFuzzer entry point. */
#ifndef OIDC_FUZZ_H
#define OIDC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
