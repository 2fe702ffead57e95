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

/*
 * Service PINs (README "Provisioning"): rs_user.pin_hash holds
 * "sha256$<salt>$<hex>", hex = lower- or upper-case SHA-256 of the salt
 * bytes followed by the PIN bytes. An admin sets it in SQL:
 *   SET @s = HEX(RANDOM_BYTES(8));
 *   UPDATE rs_user SET pin_hash = CONCAT('sha256$', @s, '$',
 *       SHA2(CONCAT(@s, '1234'), 256)) WHERE extension = '600';
 * The digests are compared in constant time. Nothing here keeps or logs
 * the PIN.
 */

#ifndef RS_PIN_H
#define RS_PIN_H

#include <stddef.h>

#include "rs_common.h"

#define RS_PIN_MIN 4 /* digits of a PIN (README "Hot desking") */
#define RS_PIN_MAX 16
#define RS_PIN_SALT_MAX 64 /* bytes of a salt, no '$' */
#define RS_PIN_HASH_MAX (7 + RS_PIN_SALT_MAX + 1 + 64) /* "sha256$" s "$" hex */

/* 1 if pin is RS_PIN_MIN..RS_PIN_MAX decimal digits, else 0 */
int rs_pin_valid(const rs_str_t *pin);

/*
 * Check pin against a stored hash.
 *   1            the PIN matches
 *   0            it does not (also for a PIN that is not rs_pin_valid())
 *   RS_E_INVAL   hash is not "sha256$<1..64 bytes salt>$<64 hex digits>"
 *                (an empty hash: the user has no PIN), or a NULL pointer
 */
int rs_pin_check(const rs_str_t *hash, const rs_str_t *pin);

/*
 * The stored form of pin with salt ("sha256$<salt>$<64 lower-case hex>").
 * snprintf semantics: returns the length of the full text and buf (if len
 * > 0) always ends in NUL; -1 for a NULL pin or salt, an invalid PIN, or a
 * salt that is empty, longer than RS_PIN_SALT_MAX or contains '$'.
 */
int rs_pin_hash(
		const rs_str_t *salt, const rs_str_t *pin, char *buf, size_t len);

/*
 * A stored hash of a PIN shorter than RS_PIN_MIN (an admin wrote it in SQL;
 * such a PIN can never be entered): its length 1..RS_PIN_MIN-1, 0 if it is
 * none of them, RS_E_INVAL for a malformed hash. Tries every such PIN
 * (1110 digests for RS_PIN_MIN 4).
 */
int rs_pin_short(const rs_str_t *hash);

/* 1 if the n bytes at a and b are equal; time depends on n only */
int rs_ct_equal(const void *a, const void *b, size_t n);

/*
 * n bytes as 2n lower-case hex digits and a NUL into out (2n + 1 bytes):
 * used for generated passwords and salts.
 */
void rs_hex_encode(const unsigned char *in, size_t n, char *out);

#endif /* RS_PIN_H */
