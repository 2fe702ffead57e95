/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2025 The Ringset authors
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

/*
 * Runner of the unit tests: registers every suite, runs them in CUnit's
 * basic verbose mode and prints one summary line for scripts:
 *     unit: <tests passed> passed, <tests failed> failed
 * "unit_tests <suite>" runs one suite only.
 */

#include <stdio.h>

#include <CUnit/Basic.h>

#include "unit.h"

typedef int (*ut_register_f)(void);

static const ut_register_f ut_suites[] = {
		ut_register_common,
		ut_register_userdir,
		ut_register_plan,
		ut_register_pin,
		ut_register_lockout,
		ut_register_prov,
		ut_register_dlginfo,
		ut_register_pubtab,
		ut_register_lockmsg,
		ut_register_rec,
		ut_register_groups,
		ut_register_media,
		ut_register_b2bua,
		ut_register_lease,
		ut_register_fmcall,
		ut_register_snap,
		ut_register_cols,
		ut_register_reply,
		ut_register_dlgdev,
		ut_register_contact,
		ut_register_sql,
};

int main(int argc, char **argv)
{
	unsigned int nf;
	size_t i;
	CU_pSuite s;

	if(CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit: %s\n", CU_get_error_msg());
		return 1;
	}
	for(i = 0; i < sizeof(ut_suites) / sizeof(ut_suites[0]); i++) {
		if(ut_suites[i]() != 0) {
			fprintf(stderr, "unit: cannot register suite: %s\n",
					CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if(argc > 1) {
		s = CU_get_suite(argv[1]);
		if(s == NULL) {
			fprintf(stderr, "unit: no suite named %s\n", argv[1]);
			CU_cleanup_registry();
			return 1;
		}
		CU_basic_run_suite(s);
	} else {
		CU_basic_run_tests();
	}
	printf("unit: %u passed, %u failed\n",
			CU_get_number_of_tests_run() - CU_get_number_of_tests_failed(),
			CU_get_number_of_tests_failed());
	nf = CU_get_number_of_failures();
	CU_cleanup_registry();
	return nf ? 1 : 0;
}
