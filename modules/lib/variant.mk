# Ringset - office PBX modules for Kamailio
# Copyright (C) 2026 The Ringset authors
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The build variants of the plain-C libraries (modules/lib, media): include
# with BUILD and VARIANT set; gives OUT (where objects go) and VFLAGS.
#   VARIANT=       -> $(BUILD)
#   VARIANT=asan   -> $(BUILD)/asan, AddressSanitizer and UBSan

ifeq ($(VARIANT),)
OUT := $(BUILD)
VFLAGS :=
else ifeq ($(VARIANT),asan)
OUT := $(BUILD)/asan
VFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
$(error unknown VARIANT '$(VARIANT)' (use VARIANT= or VARIANT=asan))
endif
