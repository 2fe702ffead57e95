/*
 * Ringset - unit tests of rs_dlgdev.c (the Replaces device map)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <stdio.h>

#include "unit.h"
#include "rs_dlgdev.h"

#define S(x) ((rs_str_t){(char *)(x), (int)sizeof(x) - 1})

static int dd_eq(const rs_str_t *s, const char *want)
{
	return s->len == (int)strlen(want)
		   && (s->len == 0 || memcmp(s->s, want, (size_t)s->len) == 0);
}

/* format, then parse: the same fields come back */
static void test_dlgdev_roundtrip(void)
{
	rs_dlgdev_t d = {S("sip:1200@10.0.0.5:5062;ob"),
			S("sip:127.0.0.1:26001;transport=udp"), S("1200"), 1, S("300")};
	rs_dlgdev_t e = {S("sips:2200@h"), S("sip:1.2.3.4:5061;transport=tls"),
			{NULL, 0}, 0, {NULL, 0}};
	rs_dlgdev_t out;
	char buf[RS_DLGDEV_MAX];
	int n;

	n = rs_dlgdev_format(&d, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf,
			"sip:1200@10.0.0.5:5062;ob sip:127.0.0.1:26001;transport=udp "
			"1200 1 300");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	CU_ASSERT_EQUAL(rs_dlgdev_parse(buf, n, &out), RS_OK);
	CU_ASSERT(dd_eq(&out.contact, "sip:1200@10.0.0.5:5062;ob"));
	CU_ASSERT(dd_eq(&out.reached, "sip:127.0.0.1:26001;transport=udp"));
	CU_ASSERT(dd_eq(&out.device, "1200"));
	CU_ASSERT_EQUAL(out.nat, 1);
	CU_ASSERT(dd_eq(&out.called, "300"));

	/* no device, no user called: "-" and no fifth field */
	n = rs_dlgdev_format(&e, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(
			buf, "sips:2200@h sip:1.2.3.4:5061;transport=tls - 0");
	CU_ASSERT_EQUAL(rs_dlgdev_parse(buf, n, &out), RS_OK);
	CU_ASSERT_EQUAL(out.device.len, 0);
	CU_ASSERT_PTR_NOT_NULL(out.device.s);
	CU_ASSERT_EQUAL(out.called.len, 0);
	CU_ASSERT_EQUAL(out.nat, 0);
	/* the caller's record of an earlier release, "-" as the user called */
	CU_ASSERT_EQUAL(
			rs_dlgdev_parse("sip:a@b sip:1.2.3.4:5 d 0 -", 27, &out), RS_OK);
	CU_ASSERT_EQUAL(out.called.len, 0);
	CU_ASSERT(dd_eq(&out.device, "d"));
	/* an unset value as earlier cfgs printed it */
	CU_ASSERT_EQUAL(
			rs_dlgdev_parse("sip:a@b sip:1.2.3.4:5 <null> 1 <null>", 37, &out),
			RS_OK);
	CU_ASSERT_EQUAL(out.device.len, 0);
	CU_ASSERT_EQUAL(out.called.len, 0);
	CU_ASSERT_EQUAL(out.nat, 1);
}

static void test_dlgdev_refused(void)
{
	static const char *const bad[] = {
			"", "sip:a@b", "sip:a@b sip:c d", /* 3 fields */
			"sip:a@b sip:c d 2",			  /* nat */
			"sip:a@b sip:c d 01",			  /* nat */
			"sip:a@b sip:c d 0 u x",		  /* 6 fields */
			"sip:a@b  sip:c d 0",			  /* two spaces: an empty field */
			"sip:a@b sip:c d 0 ",			  /* trailing space */
			" sip:a@b sip:c d 0",			  /* leading space */
			"tel:123 sip:c d 0",			  /* not a SIP URI */
			"sip:a@b http://c d 0",			  /* reached not a SIP URI */
			"sip:a@b sip:c d\t1 0",			  /* control character */
			"sip:a@b sip:c d\r\nX: 1 0",	  /* header injection */
	};
	rs_dlgdev_t out;
	size_t i;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(rs_dlgdev_parse(bad[i], (int)strlen(bad[i]), &out) != RS_E_BADROW)
			printf("\n  accepted \"%s\"\n", bad[i]);
		CU_ASSERT_EQUAL(rs_dlgdev_parse(bad[i], (int)strlen(bad[i]), &out),
				RS_E_BADROW);
	}
	CU_ASSERT_EQUAL(rs_dlgdev_parse(NULL, 3, &out), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dlgdev_parse("x", 1, NULL), RS_E_INVAL);
}

static void test_dlgdev_format_refused(void)
{
	rs_dlgdev_t ok = {S("sip:a@b"), S("sip:c"), S("d"), 0, {NULL, 0}};
	rs_dlgdev_t d;
	char buf[RS_DLGDEV_MAX], small[12];

	d = ok;
	d.contact = S("sip:a b");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d = ok;
	d.contact = S("");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d = ok;
	d.reached = S("tel:1");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d = ok;
	d.device = S("-");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d.device = S("<null>");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d = ok;
	d.called = S("3\r\n");
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	d = ok;
	d.nat = 2;
	CU_ASSERT_EQUAL(rs_dlgdev_format(&d, buf, sizeof(buf)), -1);
	/* "sip:a@b sip:c d 0" is 17 bytes */
	CU_ASSERT_EQUAL(rs_dlgdev_format(&ok, small, sizeof(small)), -1);
	CU_ASSERT_EQUAL(rs_dlgdev_format(&ok, buf, 18), 17);
	CU_ASSERT_EQUAL(rs_dlgdev_format(&ok, buf, 17), -1);
	CU_ASSERT_EQUAL(rs_dlgdev_format(NULL, buf, sizeof(buf)), -1);
}

static const ut_test_t ut_dlgdev_tests[] = {
		{"roundtrip", test_dlgdev_roundtrip},
		{"refused", test_dlgdev_refused},
		{"format_refused", test_dlgdev_format_refused},
		{NULL, NULL},
};

int ut_register_dlgdev(void)
{
	return ut_add_suite("dlgdev", ut_dlgdev_tests);
}
