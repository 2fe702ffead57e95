/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
 *
 * This file is part of Ringset, a free software project; you can
 * redistribute it and/or modify it under the terms of the GNU General
 * Public License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * Ringset is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "rs_pin.h"

#define RS_PIN_SCHEME "sha256$"
#define RS_PIN_SCHEME_LEN (sizeof(RS_PIN_SCHEME) - 1)

int rs_pin_valid(const rs_str_t *pin)
{
	int i;

	if(pin == NULL || pin->s == NULL || pin->len < RS_PIN_MIN
			|| pin->len > RS_PIN_MAX)
		return 0;
	for(i = 0; i < pin->len; i++) {
		if(pin->s[i] < '0' || pin->s[i] > '9')
			return 0;
	}
	return 1;
}

int rs_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char acc = 0;
	size_t i;

	for(i = 0; i < n; i++)
		acc |= (unsigned char)(x[i] ^ y[i]);
	return acc == 0;
}

void rs_hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for(i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int rs_hexval(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* SHA-256 of salt followed by pin */
static void rs_pin_digest(const char *salt, int slen, const rs_str_t *pin,
		unsigned char md[SHA256_DIGEST_LENGTH])
{
	unsigned char buf[RS_PIN_SALT_MAX + RS_PIN_MAX];

	memcpy(buf, salt, (size_t)slen);
	memcpy(buf + slen, pin->s, (size_t)pin->len);
	SHA256(buf, (size_t)(slen + pin->len), md);
	/* the PIN is not left on the stack */
	memset(buf, 0, sizeof(buf));
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

static int rs_salt_ok(const char *s, int len)
{
	if(s == NULL || len < 1 || len > RS_PIN_SALT_MAX)
		return 0;
	return memchr(s, '$', (size_t)len) == NULL;
}

/* the salt and the digest of a stored hash: 0, or RS_E_INVAL */
static int rs_pin_parse(const rs_str_t *hash, const char **salt, int *slen,
		unsigned char want[SHA256_DIGEST_LENGTH])
{
	const char *hex, *end;
	int i, hi, lo;

	if(hash == NULL || hash->s == NULL || hash->len < (int)RS_PIN_SCHEME_LEN
			|| memcmp(hash->s, RS_PIN_SCHEME, RS_PIN_SCHEME_LEN) != 0)
		return RS_E_INVAL;
	*salt = hash->s + RS_PIN_SCHEME_LEN;
	end = hash->s + hash->len;
	hex = memchr(*salt, '$', (size_t)(end - *salt));
	if(hex == NULL)
		return RS_E_INVAL;
	*slen = (int)(hex - *salt);
	hex++;
	if(!rs_salt_ok(*salt, *slen) || end - hex != 2 * SHA256_DIGEST_LENGTH)
		return RS_E_INVAL;
	for(i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		hi = rs_hexval(hex[2 * i]);
		lo = rs_hexval(hex[2 * i + 1]);
		if(hi < 0 || lo < 0)
			return RS_E_INVAL;
		want[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int rs_pin_short(const rs_str_t *hash)
{
	unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];
	char buf[RS_PIN_MIN];
	const char *salt;
	rs_str_t pin = {buf, 0};
	int slen, len, n, v, i, found = 0;

	if(rs_pin_parse(hash, &salt, &slen, want) < 0)
		return RS_E_INVAL;
	for(len = 1; len < RS_PIN_MIN; len++) {
		for(n = 1, i = 0; i < len; i++)
			n *= 10;
		for(v = 0; v < n; v++) {
			int x = v;

			for(i = len - 1; i >= 0; i--) {
				buf[i] = (char)('0' + x % 10);
				x /= 10;
			}
			pin.len = len;
			rs_pin_digest(salt, slen, &pin, got);
			/* no early exit: the time does not tell which PIN it was */
			if(!found && rs_ct_equal(want, got, sizeof(want)))
				found = len;
		}
	}
	memset(buf, 0, sizeof(buf));
	memset(got, 0, sizeof(got));
	return found;
}

int rs_pin_check(const rs_str_t *hash, const rs_str_t *pin)
{
	unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];
	const char *salt;
	int slen, ok;

	if(pin == NULL || rs_pin_parse(hash, &salt, &slen, want) < 0)
		return RS_E_INVAL;
	if(!rs_pin_valid(pin))
		return 0;
	rs_pin_digest(salt, slen, pin, got);
	ok = rs_ct_equal(want, got, sizeof(want));
	return ok ? 1 : 0;
}

int rs_pin_hash(
		const rs_str_t *salt, const rs_str_t *pin, char *buf, size_t len)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char hex[2 * SHA256_DIGEST_LENGTH + 1];

	if(salt == NULL || pin == NULL || !rs_salt_ok(salt->s, salt->len)
			|| !rs_pin_valid(pin) || (buf == NULL && len > 0))
		return -1;
	rs_pin_digest(salt->s, salt->len, pin, md);
	rs_hex_encode(md, sizeof(md), hex);
	if(buf == NULL)
		return (int)(RS_PIN_SCHEME_LEN + salt->len + 1 + sizeof(hex) - 1);
	return snprintf(
			buf, len, "%s%.*s$%s", RS_PIN_SCHEME, salt->len, salt->s, hex);
}
