/*
 * Ringset - unit tests of rs_fmcall.c (follow-me's per-call record)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <stdlib.h>

#include "unit.h"
#include "rs_fmcall.h"

static rs_str_t fs(const char *s)
{
	rs_str_t r = {(char *)s, (int)strlen(s)};
	return r;
}

/* two branches to one contact URI keep their own records: by index */
static void test_fmcall_roundtrip(void)
{
	static const struct
	{
		int index;
		rs_fmbr_kind_t kind;
		int ring;
		const char *target;
	} t[] = {
			{0, RS_FMBR_DEVICE, 20, "1200"},
			{1, RS_FMBR_DEVICE, 10, "1200"},
			{2, RS_FMBR_EXTERNAL, 25, "004930123456"},
			{3, RS_FMBR_MOBILE, 20, "01701234567"},
			{7, RS_FMBR_VOICEMAIL, 60, ""},
	};
	rs_fmcall_t c, back;
	rs_str_t ext = fs("200"), mem = fs("201"), tg;
	const rs_fmbr_t *b;
	char p[RS_FMCALL_PACKED_MAX];
	size_t i;
	int len, want;

	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 2, 1, 25), RS_OK);
	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tg = fs(t[i].target);
		CU_ASSERT_EQUAL(
				rs_fmcall_add(&c, t[i].index, t[i].kind, t[i].ring, &mem, &tg),
				RS_OK);
	}
	len = rs_fmcall_pack(&c, p, sizeof(p));
	/* only the bytes the texts have: the header with "200", each branch
	 * with its ext "201" and its target */
	want = RS_FMCALL_PHDR + 3;
	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		want += RS_FMCALL_PBR + 3 + (int)strlen(t[i].target);
	CU_ASSERT_EQUAL_FATAL(len, want);
	/* exactly the room it needs, and one byte less */
	CU_ASSERT_EQUAL(rs_fmcall_pack(&c, p, len), len);
	CU_ASSERT_EQUAL(rs_fmcall_pack(&c, p, len - 1), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_fmcall_unpack(p, len, &back), RS_OK);
	CU_ASSERT_EQUAL(back.next_step, 2);
	CU_ASSERT_EQUAL(back.busy, 1);
	CU_ASSERT_EQUAL(back.timer, 25);
	CU_ASSERT(back.ext_len == 3 && memcmp(back.ext, "200", 3) == 0);
	CU_ASSERT_EQUAL(back.nbranches, 5);
	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		b = rs_fmcall_branch(&back, t[i].index);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(b->kind, t[i].kind);
		CU_ASSERT_EQUAL(b->ring, t[i].ring);
		CU_ASSERT(b->ext_len == 3 && memcmp(b->ext, "201", 3) == 0);
		CU_ASSERT(b->target_len == strlen(t[i].target)
				  && memcmp(b->target, t[i].target, b->target_len) == 0);
	}
	CU_ASSERT_PTR_NULL(rs_fmcall_branch(&back, 4));
	CU_ASSERT_EQUAL(rs_fmcall_nth(&back, 4)->index, 7);
	CU_ASSERT_PTR_NULL(rs_fmcall_nth(&back, 5));
	CU_ASSERT_PTR_NULL(rs_fmcall_nth(&back, -1));
	CU_ASSERT_PTR_NULL(rs_fmcall_branch(NULL, 0));
	/* a record without branches (no step left) is a record too */
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 5, 0, 0), RS_OK);
	len = rs_fmcall_pack(&c, p, sizeof(p));
	CU_ASSERT_EQUAL(len, RS_FMCALL_PHDR + 3);
	CU_ASSERT_EQUAL(rs_fmcall_unpack(p, len, &back), RS_OK);
	CU_ASSERT_EQUAL(back.nbranches, 0);
}

/* a device branch of the user called stores no ext of its own: 7 bytes */
static void test_fmcall_own_branch(void)
{
	rs_fmcall_t c, back;
	rs_str_t ext = fs("200"), mem = fs("2001"), none = fs("");
	char p[RS_FMCALL_PACKED_MAX];
	int len, i;

	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 1, 0, 20), RS_OK);
	for(i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(
				rs_fmcall_add(&c, i, RS_FMBR_DEVICE, 20, &ext, &none), RS_OK);
	/* a member whose ext starts with the user's is not the user */
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 4, RS_FMBR_DEVICE, 15, &mem, &none),
			RS_OK);
	len = rs_fmcall_pack(&c, p, sizeof(p));
	CU_ASSERT_EQUAL(len, RS_FMCALL_PHDR + 3 + 4 * RS_FMCALL_PBR
								 + RS_FMCALL_PBR + 4);
	CU_ASSERT_EQUAL_FATAL(rs_fmcall_unpack(p, len, &back), RS_OK);
	for(i = 0; i < 4; i++) {
		CU_ASSERT(back.br[i].ext_len == 3
				  && memcmp(back.br[i].ext, "200", 3) == 0);
		CU_ASSERT_EQUAL(back.br[i].target_len, 0);
	}
	CU_ASSERT(back.br[4].ext_len == 4 && memcmp(back.br[4].ext, "2001", 4) == 0);
	CU_ASSERT_EQUAL(back.br[4].ring, 15);
}

static void test_fmcall_limits(void)
{
	rs_fmcall_t c;
	rs_str_t ext = fs("200"), tg = fs("1200"), bad;
	char longt[RS_FM_TARGET_MAX + 2];
	int i;

	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 0, 0, 20), RS_OK);
	for(i = 0; i < RS_FMCALL_BRANCHES_MAX; i++)
		CU_ASSERT_EQUAL(
				rs_fmcall_add(&c, i, RS_FMBR_DEVICE, 20, &ext, &tg), RS_OK);
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, i, RS_FMBR_DEVICE, 20, &ext, &tg), RS_E_LIMIT);
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, 3, RS_FMBR_DEVICE, 20, &ext, &tg), RS_E_DUP);
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 0, 0, 20), RS_OK);
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 0, 0, 20, &ext, &tg), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 0, 5, 20, &ext, &tg), RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, -1, RS_FMBR_DEVICE, 20, &ext, &tg), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 0, RS_FMBR_DEVICE, RS_DIR_RING_MAX + 1,
							&ext, &tg),
			RS_E_INVAL);
	memset(longt, '1', sizeof(longt));
	bad.s = longt;
	bad.len = RS_FM_TARGET_MAX + 1;
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, 0, RS_FMBR_EXTERNAL, 20, &ext, &bad), RS_E_INVAL);
	bad = fs("");
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, 0, RS_FMBR_DEVICE, 20, &bad, &tg), RS_E_INVAL);
	bad = fs("12\t34");
	CU_ASSERT_EQUAL(
			rs_fmcall_add(&c, 0, RS_FMBR_EXTERNAL, 20, &ext, &bad), RS_E_INVAL);
	bad = fs("");
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &bad, 0, 0, 20), RS_E_INVAL);
	bad = fs("2\n00");
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &bad, 0, 0, 20), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 0, 2, 20), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, -1, 0, 20), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_init(NULL, &ext, 0, 0, 20), RS_E_INVAL);
}

/* a value that is not one of our records is refused, not read past */
static void test_fmcall_unpack_bad(void)
{
	rs_fmcall_t c, back;
	rs_str_t ext = fs("200"), tg = fs("1200");
	unsigned char p[RS_FMCALL_PACKED_MAX], buf[RS_FMCALL_PACKED_MAX + 8];
	int len, off, i;

	CU_ASSERT_EQUAL(rs_fmcall_init(&c, &ext, 1, 0, 20), RS_OK);
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 0, RS_FMBR_DEVICE, 20, &ext, &tg), RS_OK);
	CU_ASSERT_EQUAL(rs_fmcall_add(&c, 1, RS_FMBR_DEVICE, 15, &ext, &tg), RS_OK);
	len = rs_fmcall_pack(&c, p, sizeof(p));
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL(rs_fmcall_unpack(p, len, &back), RS_OK);
	/* every length short of the whole, one byte more, text of the old
	 * format, NULL */
	for(i = 0; i < len; i++)
		CU_ASSERT_EQUAL(rs_fmcall_unpack(p, i, &back), RS_E_INVAL);
	memcpy(buf, p, len);
	buf[len] = 0;
	CU_ASSERT_EQUAL(rs_fmcall_unpack(buf, len + 1, &back), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_unpack("1\t0\t20\t200", 11, &back), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_unpack(NULL, len, &back), RS_E_INVAL);
	/* fields out of range, one at a time (the second branch starts after
	 * the header, "200" and the first branch with its "1200") */
	off = RS_FMCALL_PHDR + 3 + RS_FMCALL_PBR + 4;
#define FM_BAD(at, v)                                                \
	do {                                                             \
		memcpy(buf, p, len);                                         \
		buf[at] = (unsigned char)(v);                                \
		CU_ASSERT_EQUAL(rs_fmcall_unpack(buf, len, &back), RS_E_INVAL); \
	} while(0)
	FM_BAD(0, p[0] ^ 1);				  /* magic */
	FM_BAD(8, 2);						  /* busy */
	FM_BAD(9, 0);						  /* no ext */
	FM_BAD(9, RS_DIR_EXT_MAX + 1);		  /* ext too long */
	FM_BAD(10, RS_FMCALL_BRANCHES_MAX + 1); /* branches */
	FM_BAD(10, 3);						  /* more branches than bytes */
	FM_BAD(RS_FMCALL_PHDR + 1, '\n');	  /* a control character */
	FM_BAD(off + 2, 9);					  /* kind */
	FM_BAD(off + 4, 0xff);				  /* ring */
	FM_BAD(off + 6, RS_FM_TARGET_MAX + 1); /* target length */
	FM_BAD(off + 6, 5);					  /* target past the end */
	FM_BAD(off, 0);						  /* two records for one index */
#undef FM_BAD
	c.nbranches = RS_FMCALL_BRANCHES_MAX + 1;
	CU_ASSERT_EQUAL(rs_fmcall_pack(&c, p, sizeof(p)), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_pack(NULL, p, sizeof(p)), RS_E_INVAL);
}

/* a device branch's headers: Expires, and the PAI only when there is one;
 * a PAI that would smuggle a header of its own is refused */
static void test_fmcall_device_hdrs(void)
{
	static const char want[] = "Expires: 20\r\nP-Asserted-Identity: "
							   "\"Ann\" <sip:200@pbx.local>\r\n";
	char buf[128];
	rs_str_t pai = fs("\"Ann\" <sip:200@pbx.local>"), bad, empty = fs("");
	int n;

	n = rs_fmcall_device_hdrs(buf, sizeof(buf), 20, &pai);
	CU_ASSERT_EQUAL(n, (int)sizeof(want) - 1);
	CU_ASSERT(n > 0 && memcmp(buf, want, n) == 0);
	n = rs_fmcall_device_hdrs(buf, sizeof(buf), 0, NULL);
	CU_ASSERT(n == 12 && memcmp(buf, "Expires: 0\r\n", 12) == 0);
	n = rs_fmcall_device_hdrs(buf, sizeof(buf), 600, &empty);
	CU_ASSERT(n == 14 && memcmp(buf, "Expires: 600\r\n", 14) == 0);
	/* exactly the room it needs, and one byte less */
	CU_ASSERT_EQUAL(rs_fmcall_device_hdrs(buf, sizeof(want) - 1, 20, &pai),
			n = (int)sizeof(want) - 1);
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(want) - 2, 20, &pai), RS_E_LIMIT);
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(buf), -1, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(buf), 601, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fmcall_device_hdrs(NULL, 10, 20, NULL), RS_E_INVAL);
	bad = fs("<sip:200@pbx.local>\r\nX-Evil: 1");
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(buf), 20, &bad), RS_E_INVAL);
	bad = fs("<sip:200@pbx.local>\n");
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(buf), 20, &bad), RS_E_INVAL);
	bad.s = "a\0b";
	bad.len = 3;
	CU_ASSERT_EQUAL(
			rs_fmcall_device_hdrs(buf, sizeof(buf), 20, &bad), RS_E_INVAL);
}

static const ut_test_t ut_fmcall_tests[] = {
		{"device branch headers", test_fmcall_device_hdrs},
		{"roundtrip by branch index", test_fmcall_roundtrip},
		{"a branch of the user called stores no ext", test_fmcall_own_branch},
		{"limits", test_fmcall_limits},
		{"unpack refuses what is not a record", test_fmcall_unpack_bad},
		{NULL, NULL},
};

int ut_register_fmcall(void)
{
	return ut_add_suite("fmcall", ut_fmcall_tests);
}
