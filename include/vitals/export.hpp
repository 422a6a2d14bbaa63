// SPDX-License-Identifier: Apache-2.0
#pragma once

/// VITALS_API marks the symbols libvitals exports. Everything else in the
/// library is hidden, so embedders see only the public headers' contracts.
#if defined(VITALS_BUILDING_LIBRARY)
#define VITALS_API [[gnu::visibility("default")]]
#else
#define VITALS_API
#endif
