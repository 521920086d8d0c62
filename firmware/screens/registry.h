/* registry.h - declares every screen in screens.def (see there). */
#ifndef KIOSK_REGISTRY_H
#define KIOSK_REGISTRY_H

struct screen_ops;
#define SCREEN(id) extern const struct screen_ops screen_##id;
#include "screens.def"
#undef SCREEN

#endif
