/*
 * Ringset - the SIP replies Ringset decides on (rs_reply.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "rs_reply.h"

/* indexed by rs_reply_t */
/* clang-format off */
static const rs_reply_info_t rs_replies[RS_R_COUNT] = {
	[RS_R_ADDRESS_INCOMPLETE] = {"ADDRESS_INCOMPLETE", 484, "Address Incomplete", "the Request-URI has no user"},
	[RS_R_DMQ_PORT_ONLY] = {"DMQ_PORT_ONLY", 403, "DMQ only on the DMQ port", "KDMQ on the SIP port"},
	[RS_R_DMQ_FORBIDDEN] = {"DMQ_FORBIDDEN", 403, "Forbidden", "on the DMQ port: not KDMQ, or not from a node"},
	[RS_R_UNKNOWN_DIALOG] = {"UNKNOWN_DIALOG", 481, "Call/Transaction Does Not Exist", "a To-tag of no dialog Ringset knows"},
	[RS_R_NOT_HERE] = {"NOT_HERE", 404, "Not here", "an in-dialog request that could not be routed"},
	[RS_R_NOT_OUR_DOMAIN] = {"NOT_OUR_DOMAIN", 403, "Not our domain", "the Request-URI names another domain"},
	[RS_R_PUBLISH_FORBIDDEN] = {"PUBLISH_FORBIDDEN", 403, "Publications only from Ringset", "PUBLISH from a phone"},
	[RS_R_UNKNOWN_DEVICE] = {"UNKNOWN_DEVICE", 403, "Unknown device", "an authenticated account with no rs_device row"},
	[RS_R_BAD_EVENT] = {"BAD_EVENT", 489, "Bad Event", "SUBSCRIBE for an event package Ringset does not serve"},
	[RS_R_NO_SUCH_EXTENSION] = {"NO_SUCH_EXTENSION", 404, "No such extension", "SUBSCRIBE to no user or group"},
	[RS_R_WATCH_FORBIDDEN] = {"WATCH_FORBIDDEN", 403, "Not allowed to watch this user", "a private user watched by another user's device"},
	[RS_R_NOT_A_USER_DEVICE] = {"NOT_A_USER_DEVICE", 403, "Not a device of a user", "message-summary SUBSCRIBE from a device of no user"},
	[RS_R_OWN_MAILBOX_ONLY] = {"OWN_MAILBOX_ONLY", 403, "Only your own mailbox", "message-summary SUBSCRIBE for another user's mailbox"},
	[RS_R_ONE_CONTACT] = {"ONE_CONTACT", 403, "One Contact per registration", "REGISTER with several Contacts"},
	[RS_R_CONTACT_FORBIDDEN] = {"CONTACT_FORBIDDEN", 403, "Contact not allowed", "REGISTER whose Contact is a trusted peer or another public host"},
	[RS_R_AUTH_UNAVAILABLE] = {"AUTH_UNAVAILABLE", 500, "Server Error", "credentials could not be read"},
	[RS_R_AUTH_FAILED] = {"AUTH_FAILED", 403, "Forbidden", "digest authentication failed"},
	[RS_R_HOTDESK_LOGIN_FIRST] = {"HOTDESK_LOGIN_FIRST", 403, "Hot-desk terminal: log in first", "MESSAGE from a hot-desk terminal nobody is logged in on"},
	[RS_R_HOTDESK_DIAL_EXT] = {"HOTDESK_DIAL_EXT", 403, "Hot-desk terminal: dial your extension to log in", "a hot-desk terminal nobody is logged in on dialled something else"},
	[RS_R_METHOD_NOT_ALLOWED] = {"METHOD_NOT_ALLOWED", 405, "Method Not Allowed", "a new request Ringset does not route"},
	[RS_R_NOT_FOUND] = {"NOT_FOUND", 404, "Not Found", "no user, device, service or allowed number"},
	[RS_R_FEATURE_DISABLED] = {"FEATURE_DISABLED", 403, "Feature disabled", "a feature code with enabled = 0"},
	[RS_R_SERVICE_UNAVAILABLE] = {"SERVICE_UNAVAILABLE", 500, "Service Unavailable", "a state change could not be written"},
	[RS_R_BAD_ORIGIN] = {"BAD_ORIGIN", 400, "Bad X-Ringset-Origin", "a media server leg without a valid X-Ringset-Origin"},
	[RS_R_F2M_UNAVAILABLE] = {"F2M_UNAVAILABLE", 403, "Fork2Mobile not available", "a Fork2Mobile call back for a user without a mobile"},
	[RS_R_NOT_USER_MOBILE] = {"NOT_USER_MOBILE", 403, "Not the user's mobile", "a Fork2Mobile call back to another number"},
	[RS_R_BUSY] = {"BUSY", 486, "Busy Here", "the user is at max_calls"},
	[RS_R_DND] = {"DND", 486, "Do Not Disturb", "the user has do-not-disturb on"},
	[RS_R_UNAVAILABLE] = {"UNAVAILABLE", 480, "Temporarily Unavailable", "nothing to ring, or nothing answered"},
	[RS_R_SERVER_ERROR] = {"SERVER_ERROR", 500, "Server Error", "the plan could not be made"},
	[RS_R_NO_INCALL] = {"NO_INCALL", 403, "No in-call services", "a b2bua leg for a user without in-call services"},
	[RS_R_RECALL_OWN_USER] = {"RECALL_OWN_USER", 403, "A recall goes to its user", "a b2bua recall to another user"},
	[RS_R_NO_EXTERNAL_MESSAGES] = {"NO_EXTERNAL_MESSAGES", 403, "No messages to external numbers", "MESSAGE to an external number"},
	[RS_R_CALL_OUT_FORBIDDEN] = {"CALL_OUT_FORBIDDEN", 403, "Not allowed to call out", "an external number dialled by no user"},
	[RS_R_NO_EXTERNAL] = {"NO_EXTERNAL", 403, "Forbidden: external calls not allowed", "the caller's permissions forbid external calls"},
	[RS_R_NO_INTERNATIONAL] = {"NO_INTERNATIONAL", 403, "Forbidden: international calls not allowed", "the caller's permissions forbid international calls"},
	[RS_R_PICKUP_FORBIDDEN] = {"PICKUP_FORBIDDEN", 403, "Not allowed to pick up this call", "pickup of a private user's call"},
	[RS_R_REPLACE_FORBIDDEN] = {"REPLACE_FORBIDDEN", 403, "Not allowed to replace this call", "Replaces from a device of no party of the call"},
	[RS_R_BAD_REPLACES] = {"BAD_REPLACES", 400, "Bad Replaces Header", "a Replaces header without Call-ID or to-tag"},
	[RS_R_NOTHING_TO_PICK_UP] = {"NOTHING_TO_PICK_UP", 480, "Nothing to pick up", "no call rings for the pickup"},
};
/* clang-format on */

const rs_reply_info_t *rs_reply_info(rs_reply_t r)
{
	if((int)r < 0 || r >= RS_R_COUNT)
		return NULL;
	return &rs_replies[r];
}

int rs_reply_find(const char *name, int len)
{
	int i;

	if(name == NULL || len <= 0)
		return -1;
	for(i = 0; i < RS_R_COUNT; i++)
		if((int)strlen(rs_replies[i].name) == len
				&& memcmp(rs_replies[i].name, name, (size_t)len) == 0)
			return i;
	return -1;
}
