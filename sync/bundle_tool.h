/* bundle_tool.h - the kiosk-bundle subcommands of the bundle format: pack, verify,
 * inspect and sign-feed (kiosk_bundle.c lists them in its command table). Each takes
 * argc/argv from the subcommand's name on and returns the exit status: 0 done, 1 the
 * work failed or the bundle is not valid (one line on stderr naming the file, the
 * field and the cause), 2 a usage error. */
#ifndef KIOSK_BUNDLE_TOOL_H
#define KIOSK_BUNDLE_TOOL_H

int bundle_tool_pack(int argc, char **argv);
int bundle_tool_verify(int argc, char **argv);
int bundle_tool_inspect(int argc, char **argv);
int bundle_tool_sign_feed(int argc, char **argv);

#endif
