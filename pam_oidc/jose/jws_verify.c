/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JWS signature verification with one key (RFC 7518 section 3, RFC 8037).
 * The algorithm must be allowed by configuration AND fit the key; ECDSA
 * signatures are the raw R||S form of exactly twice the curve size and are
 * range-checked before OpenSSL sees them as DER; only a return of exactly 1
 * from EVP_DigestVerify counts as a valid signature.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "jwks.h"
#include "oidc_err.h"

/* Group orders, big-endian, as long as the curve's coordinates (SEC 2). */
static const unsigned char order_p256[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const unsigned char order_p384[48] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
	0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a,
	0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
};
static const unsigned char order_p521[66] = {
	0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f,
	0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
	0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c,
	0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
	0x64, 0x09,
};

struct alg_info {
	const char *md;		/* digest name, NULL for EdDSA */
	int pss;		/* RSASSA-PSS rather than PKCS#1 v1.5 */
	const unsigned char *order;	/* ECDSA: group order, else NULL */
	size_t ec_size;		/* ECDSA: coordinate size in bytes */
	const char *pkey_type;	/* what EVP_PKEY_is_a must say */
};

static int
alg_info(enum jose_alg alg, struct alg_info *ret)
{
	static const struct alg_info tab[JOSE__ALG_MAX] = {
		[JOSE_ALG_RS256] = { "SHA256", 0, NULL, 0, "RSA" },
		[JOSE_ALG_RS384] = { "SHA384", 0, NULL, 0, "RSA" },
		[JOSE_ALG_RS512] = { "SHA512", 0, NULL, 0, "RSA" },
		[JOSE_ALG_PS256] = { "SHA256", 1, NULL, 0, "RSA" },
		[JOSE_ALG_PS384] = { "SHA384", 1, NULL, 0, "RSA" },
		[JOSE_ALG_PS512] = { "SHA512", 1, NULL, 0, "RSA" },
		[JOSE_ALG_ES256] = { "SHA256", 0, order_p256, 32, "EC" },
		[JOSE_ALG_ES384] = { "SHA384", 0, order_p384, 48, "EC" },
		[JOSE_ALG_ES512] = { "SHA512", 0, order_p521, 66, "EC" },
		[JOSE_ALG_EDDSA] = { NULL, 0, NULL, 0, "ED25519" },
	};

	if (alg <= JOSE_ALG_UNKNOWN || alg >= JOSE__ALG_MAX)
		return -EINVAL;
	*ret = tab[alg];
	return 0;
}

/* 1 when the big-endian integer v (len bytes) is zero. */
static int
be_is_zero(const unsigned char *v, size_t len)
{
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= v[i];
	return acc == 0;
}

/* 1 when big-endian v < order, both len bytes. */
static int
be_less(const unsigned char *v, const unsigned char *order, size_t len)
{
	return memcmp(v, order, len) < 0;
}

/*
 * Convert a raw R||S signature of exactly 2 * size bytes to DER, after
 * checking 0 < r < n and 0 < s < n.  Returns 0 and a malloc'ed buffer, or
 * -EBADMSG (OIDC_R_SIGNATURE) / -ENOMEM.
 */
static int
ecdsa_raw_to_der(const struct alg_info *ai, const unsigned char *sig, size_t sig_len,
		 unsigned char **ret, size_t *ret_len, struct oidc_err *err)
{
	const unsigned char *r_raw = sig, *s_raw = sig + ai->ec_size;
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *es = NULL;
	unsigned char *der = NULL;
	int der_len, rc;

	if (sig_len != 2 * ai->ec_size)
		return oidc_err_set(err, OIDC_R_SIGNATURE, EBADMSG,
				    "ECDSA signature must be exactly %zu bytes (raw R||S), not %zu",
				    2 * ai->ec_size, sig_len);
	if (be_is_zero(r_raw, ai->ec_size) || be_is_zero(s_raw, ai->ec_size) ||
	    !be_less(r_raw, ai->order, ai->ec_size) || !be_less(s_raw, ai->order, ai->ec_size))
		return oidc_err_set(err, OIDC_R_SIGNATURE, EBADMSG,
				    "ECDSA signature value out of range");
	r = BN_bin2bn(r_raw, (int)ai->ec_size, NULL);
	s = BN_bin2bn(s_raw, (int)ai->ec_size, NULL);
	es = ECDSA_SIG_new();
	if (r == NULL || s == NULL || es == NULL || !ECDSA_SIG_set0(es, r, s)) {
		rc = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	r = s = NULL;	/* owned by es now */
	der_len = i2d_ECDSA_SIG(es, &der);
	if (der_len <= 0) {
		rc = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "cannot encode ECDSA signature");
		goto out;
	}
	*ret = der;
	*ret_len = (size_t)der_len;
	der = NULL;
	rc = 0;
out:
	ECDSA_SIG_free(es);
	BN_free(r);
	BN_free(s);
	OPENSSL_free(der);
	return rc;
}

/* Verify a JWS signature with one key (see jwks.h). */
int
jws_verify_with_key(enum jose_alg alg, unsigned allowed_mask, const struct jwk *key,
		    const unsigned char *msg, size_t msg_len,
		    const unsigned char *sig, size_t sig_len, struct oidc_err *err)
{
	struct alg_info ai;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	const unsigned char *vsig = sig;
	size_t vsig_len = sig_len;
	int r, ok;

	if (alg_info(alg, &ai) < 0)
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL, "algorithm not accepted");
	if ((allowed_mask & JOSE_ALG_BIT(alg)) == 0)
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
				    "algorithm %s is not in the allowed list", jose_alg_name(alg));
	if (key == NULL || key->pkey == NULL || (msg == NULL && msg_len > 0) || sig == NULL)
		return oidc_err_set(err, OIDC_R_USAGE, EINVAL, "no key or no signature");
	if (msg == NULL)
		msg = (const unsigned char *)"";
	/* The key type is checked twice: our label and what OpenSSL holds. */
	if (!jwk_fits_alg(key, alg) || !EVP_PKEY_is_a(key->pkey, ai.pkey_type))
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
				    "algorithm %s does not fit the key type", jose_alg_name(alg));
	if (key->alg != JOSE_ALG_UNKNOWN && key->alg != alg)
		return oidc_err_set(err, OIDC_R_ALGORITHM, EINVAL,
				    "algorithm %s differs from the key's alg", jose_alg_name(alg));

	if (ai.order != NULL) {
		r = ecdsa_raw_to_der(&ai, sig, sig_len, &der, &vsig_len, err);
		if (r < 0)
			return r;
		vsig = der;
	} else if (ai.md == NULL) {
		if (sig_len != 64)
			return oidc_err_set(err, OIDC_R_SIGNATURE, EBADMSG,
					    "Ed25519 signature must be exactly 64 bytes");
	} else if (sig_len != (size_t)EVP_PKEY_get_size(key->pkey)) {
		return oidc_err_set(err, OIDC_R_SIGNATURE, EBADMSG,
				    "RSA signature length differs from the modulus length");
	}

	md = EVP_MD_CTX_new();
	if (md == NULL) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, ENOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestVerifyInit_ex(md, &pctx, ai.md, NULL, NULL, key->pkey, NULL) != 1) {
		r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "OpenSSL cannot set up verification");
		goto out;
	}
	if (ai.pkey_type[0] == 'R') {
		if (ai.pss) {
			/* RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash. */
			ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
			     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
			     EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, ai.md, NULL) == 1;
		} else {
			ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
		}
		if (!ok) {
			r = oidc_err_set(err, OIDC_R_INTERNAL, EINVAL, "OpenSSL cannot set RSA padding");
			goto out;
		}
	}
	/* Exactly 1 is valid; 0 is a bad signature, negative values are errors. */
	if (EVP_DigestVerify(md, vsig, vsig_len, msg, msg_len) == 1)
		r = 0;
	else
		r = oidc_err_set(err, OIDC_R_SIGNATURE, EBADMSG, "bad signature");
out:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return r;
}
