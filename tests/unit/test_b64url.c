/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of strict base64url (pam_oidc/b64url.c). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "b64url.h"

static int
dec(const char *s, size_t n, size_t max, unsigned char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 12345;
	return b64url_decode(s, n, max, out, outlen);
}

static void
assert_rejected(const char *s, size_t n)
{
	unsigned char *out;
	size_t outlen;

	assert_int_equal(dec(s, n, 1024, &out, &outlen), -EINVAL);
	assert_null(out);
	assert_int_equal(outlen, 12345);
}

/* RFC 4648 section 10 vectors, without the padding. */
static void
test_rfc4648_vectors(void **state)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const enc[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	unsigned char *out;
	size_t i, n;
	char *e;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(b64url_encode((const unsigned char *)plain[i], strlen(plain[i]),
					       &e, &n), 0);
		assert_string_equal(e, enc[i]);
		assert_int_equal(n, strlen(enc[i]));
		free(e);
		assert_int_equal(dec(enc[i], strlen(enc[i]), 64, &out, &n), 0);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(out, plain[i], n);
		assert_int_equal(out[n], '\0');
		free(out);
	}
}

/* The two URL-safe characters are used, and decode back. */
static void
test_url_alphabet(void **state)
{
	static const unsigned char in[] = { 0xfb, 0xff };
	unsigned char *out;
	size_t n;
	char *e;

	assert_int_equal(b64url_encode(in, sizeof(in), &e, &n), 0);
	assert_string_equal(e, "-_8");
	assert_int_equal(dec(e, n, 64, &out, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, in, 2);
	free(out);
	free(e);
}

/* Every length 0..200 of pseudo-random bytes round-trips. */
static void
test_roundtrip(void **state)
{
	unsigned char in[200], *out;
	size_t len, n, elen;
	uint32_t x = 12345;
	char *e;

	for (len = 0; len < sizeof(in); len++)
		in[len] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
	for (len = 0; len <= sizeof(in); len++) {
		assert_int_equal(b64url_encode(in, len, &e, &elen), 0);
		assert_int_equal(elen, strlen(e));
		assert_int_not_equal(elen % 4, 1);
		assert_null(strpbrk(e, "+/="));
		assert_int_equal(dec(e, elen, 1024, &out, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(out, in, len);
		free(out);
		free(e);
	}
}

static void
test_reject_padding(void **state)
{
	assert_rejected("Zg==", 4);
	assert_rejected("Zm8=", 4);
	assert_rejected("Zg=", 3);
	assert_rejected("Zm9v====", 8);
}

static void
test_reject_standard_alphabet(void **state)
{
	/* "+/8" is the standard-alphabet spelling of fb ff. */
	assert_rejected("+/8", 3);
	assert_rejected("-/8", 3);
	assert_rejected("+_8", 3);
}

static void
test_reject_whitespace_and_nul(void **state)
{
	assert_rejected("Zm9v Zg", 7);
	assert_rejected(" Zm9v", 5);
	assert_rejected("Zm9v\n", 5);
	assert_rejected("Zm\t9v", 5);
	assert_rejected("Zm9v\r\nZg", 8);
	assert_rejected("Zm\0v", 4);
	assert_rejected("Zm9.", 4);
	assert_rejected("Zm9\xc3\xa9", 5);
}

static void
test_reject_length_1_mod_4(void **state)
{
	assert_rejected("Z", 1);
	assert_rejected("Zm9vY", 5);
	assert_rejected("Zm9vYmFyZ", 9);
	/* 'A' carries no bits, so only the length rule catches these. */
	assert_rejected("A", 1);
	assert_rejected("Zm9vA", 5);
	assert_rejected("AAAAA", 5);
}

/* Unused low bits of the last character must be zero. */
static void
test_reject_noncanonical(void **state)
{
	unsigned char *out;
	size_t n;

	/* "f" is Zg; Zh..Zv carry the same byte with stray low bits. */
	assert_rejected("Zh", 2);
	assert_rejected("Zv", 2);
	/* "fo" is Zm8; Zm9 sets a stray bit. */
	assert_rejected("Zm9", 3);
	assert_rejected("Zm9vYh", 6);
	/* The canonical spellings are accepted. */
	assert_int_equal(dec("Zg", 2, 8, &out, &n), 0);
	free(out);
	assert_int_equal(dec("Zm8", 3, 8, &out, &n), 0);
	free(out);
}

static void
test_input_cap(void **state)
{
	unsigned char *out;
	size_t n;

	assert_int_equal(dec("Zm9vYmFy", 8, 7, &out, &n), -EFBIG);
	assert_null(out);
	assert_int_equal(dec("Zm9vYmFy", 8, 8, &out, &n), 0);
	assert_int_equal(n, 6);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_url_alphabet),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_reject_padding),
		cmocka_unit_test(test_reject_standard_alphabet),
		cmocka_unit_test(test_reject_whitespace_and_nul),
		cmocka_unit_test(test_reject_length_1_mod_4),
		cmocka_unit_test(test_reject_noncanonical),
		cmocka_unit_test(test_input_cap),
	};

	return cmocka_run_group_tests_name("b64url", tests, NULL, NULL);
}
