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

/* tests of rs_pin.c: PIN syntax, hash check, hash making, constant-time
 * compare; the expected digests were computed with Python's hashlib */

#include <stdio.h>

#include "unit.h"
#include "rs_pin.h"

#define H1234                                           \
	"sha256$A1B2C3D4E5F60718$aa981e0beba943b289cc2426a" \
	"3490aa97854486fe1fa1aebe0a293ae8dc5563c"

static void test_pin_valid(void)
{
	static const struct
	{
		const char *pin;
		int ok;
	} tab[] = {{"0000", 1}, {"1234", 1}, {"1234567890123456", 1}, {"0", 0},
			{"123", 0}, {"", 0}, {"12345678901234567", 0}, {"12a4", 0},
			{"12 4", 0}, {"*123", 0}, {"-1", 0}};
	size_t i;
	rs_str_t p;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		p = ut_s(tab[i].pin);
		CU_ASSERT_EQUAL(rs_pin_valid(&p), tab[i].ok);
	}
	CU_ASSERT_EQUAL(rs_pin_valid(NULL), 0);
}

static void test_pin_check(void)
{
	static const struct
	{
		const char *hash, *pin;
		int want;
	} tab[] = {
			{H1234, "1234", 1},
			{H1234, "1235", 0},
			{H1234, "12345", 0},
			{H1234, "123", 0},
			{H1234, "", 0},
			{H1234, "12x4", 0},
			/* upper-case hex digits are accepted too */
			{"sha256$A1B2C3D4E5F60718$"
			 "AA981E0BEBA943B289CC2426A3490AA97854486FE1"
			 "FA1AEBE0A293AE8DC5563C",
					"1234", 1},
			/* the right PIN, but outside 4..16 digits: never accepted */
			{"sha256$s$"
			 "ec18eac8d758b1eba52d3c10d39adc6dd9806472cb4ae069635d383d90"
			 "86a513",
					"0", 0},
			{"sha256$salt$"
			 "34f8d8831afe2fb9db1a9a4ab7331a4f58d5c126bb251a07cb58e2"
			 "2c2f14947a",
					"00001234567890123456789012345678", 0},
			/* malformed hashes */
			{"", "1234", RS_E_INVAL},
			{"sha256$", "1234", RS_E_INVAL},
			{"sha256$$"
			 "aa981e0beba943b289cc2426a3490aa97854486fe1fa1aebe0a293ae8dc"
			 "5563c",
					"1234", RS_E_INVAL},
			{"sha256$A1B2C3D4E5F60718$aa98", "1234", RS_E_INVAL},
			{"sha256$A1B2C3D4E5F60718$"
			 "aa981e0beba943b289cc2426a3490aa97854486fe1"
			 "fa1aebe0a293ae8dc5563cff",
					"1234", RS_E_INVAL},
			{"sha256$A1B2C3D4E5F60718$"
			 "za981e0beba943b289cc2426a3490aa97854486fe1"
			 "fa1aebe0a293ae8dc5563c",
					"1234", RS_E_INVAL},
			{"md5$A1B2$"
			 "aa981e0beba943b289cc2426a3490aa97854486fe1fa1aebe0a293ae8d"
			 "c5563c",
					"1234", RS_E_INVAL},
			{"1234", "1234", RS_E_INVAL},
	};
	size_t i;
	rs_str_t h, p;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		h = ut_s(tab[i].hash);
		p = ut_s(tab[i].pin);
		if(rs_pin_check(&h, &p) != tab[i].want)
			fprintf(stderr, "%s:%d: case %zu\n", __FILE__, __LINE__, i);
		CU_ASSERT_EQUAL(rs_pin_check(&h, &p), tab[i].want);
	}
	h = ut_s(H1234);
	p = ut_s("1234");
	CU_ASSERT_EQUAL(rs_pin_check(NULL, &p), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_pin_check(&h, NULL), RS_E_INVAL);
	/* not NUL-terminated: only len bytes count */
	h.len -= 1;
	CU_ASSERT_EQUAL(rs_pin_check(&h, &p), RS_E_INVAL);
	p.s = "12345";
	p.len = 4;
	h = ut_s(H1234);
	CU_ASSERT_EQUAL(rs_pin_check(&h, &p), 1);
}

static void test_pin_hash(void)
{
	char buf[RS_PIN_HASH_MAX + 1], small[10];
	rs_str_t salt = ut_s("A1B2C3D4E5F60718"), pin = ut_s("1234"), h;
	int n;

	n = rs_pin_hash(&salt, &pin, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, (int)strlen(H1234));
	CU_ASSERT_STRING_EQUAL(buf, H1234);
	/* the length without a buffer, and truncation */
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, NULL, 0), n);
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, small, sizeof(small)), n);
	CU_ASSERT_STRING_EQUAL(small, "sha256$A1");
	/* round trip */
	h = ut_s(buf);
	CU_ASSERT_EQUAL(rs_pin_check(&h, &pin), 1);
	/* refused input */
	CU_ASSERT_EQUAL(rs_pin_hash(NULL, &pin, buf, sizeof(buf)), -1);
	salt = ut_s("");
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, buf, sizeof(buf)), -1);
	salt = ut_s("a$b");
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, buf, sizeof(buf)), -1);
	salt = ut_s("01234567890123456789012345678901234567890123456789012345678901"
				"234");
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, buf, sizeof(buf)), -1);
	salt = ut_s("ab");
	pin = ut_s("12a");
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, buf, sizeof(buf)), -1);
	pin = ut_s("1");
	CU_ASSERT_EQUAL(rs_pin_hash(&salt, &pin, NULL, 5), -1);
}

static void test_pin_short(void)
{
	/* the stored form of short PINs, as an admin can write them with SQL's
	 * SHA2(CONCAT(salt, pin), 256) (sha256sum of "c0ffee" + the PIN) */
	static const struct
	{
		const char *hash;
		int len;
	} tab[] = {
			{"sha256$c0ffee$"
			 "f15c8dd83df568dd8d040db1dd08293a237f83891a5ccfd142396d6fe954960e",
					1},
			{"sha256$c0ffee$"
			 "28d695cc9d8433b1760ed06967e6aadaae2ed7b7ea0ce8ec1a27229f76dd6e57",
					2},
			{"sha256$c0ffee$"
			 "43037dc81cde472a56e6e4c076c6ebaa726740c8959ba18af67903d1c2c368a0",
					3},
			{"sha256$c0ffee$"
			 "dedf4e7596dcff7dfc807581a5abe6932b8706ceffaead6a47d52b7aee12c073",
					3},
	};
	rs_str_t salt = ut_s("c0ffee"), pin, h;
	char buf[RS_PIN_HASH_MAX + 1];
	size_t i;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		h = ut_s(tab[i].hash);
		CU_ASSERT_EQUAL(rs_pin_short(&h), tab[i].len);
		/* and it can never be entered */
		pin = ut_s(i == 0 ? "7" : i == 1 ? "42" : i == 2 ? "007" : "999");
		CU_ASSERT_EQUAL(rs_pin_check(&h, &pin), 0);
	}
	/* a valid PIN is not short */
	pin = ut_s("1234");
	CU_ASSERT_FATAL(rs_pin_hash(&salt, &pin, buf, sizeof(buf)) > 0);
	h = ut_s(buf);
	CU_ASSERT_EQUAL(rs_pin_short(&h), 0);
	h = ut_s("nope");
	CU_ASSERT_EQUAL(rs_pin_short(&h), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_pin_short(NULL), RS_E_INVAL);
}

static void test_ct_equal(void)
{
	unsigned char a[32], b[32];
	int i;

	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL(rs_ct_equal(a, b, sizeof(a)), 1);
	for(i = 0; i < 32; i++) {
		b[i] ^= 0x80;
		CU_ASSERT_EQUAL(rs_ct_equal(a, b, sizeof(a)), 0);
		b[i] ^= 0x80;
	}
	CU_ASSERT_EQUAL(rs_ct_equal(a, b, 0), 1);
}

static void test_hex_encode(void)
{
	const unsigned char in[] = {0x00, 0x7f, 0xa5, 0xff};
	char out[9];

	rs_hex_encode(in, sizeof(in), out);
	CU_ASSERT_STRING_EQUAL(out, "007fa5ff");
	rs_hex_encode(in, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "");
}

int ut_register_pin(void)
{
	static const ut_test_t tests[] = {
			{"pin_valid", test_pin_valid},
			{"pin_short", test_pin_short},
			{"pin_check", test_pin_check},
			{"pin_hash", test_pin_hash},
			{"ct_equal", test_ct_equal},
			{"hex_encode", test_hex_encode},
			{NULL, NULL},
	};

	return ut_add_suite("pin", tests);
}
