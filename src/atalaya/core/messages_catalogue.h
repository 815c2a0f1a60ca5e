// The catalogue tables, one file per language (messages_en.cpp,
// messages_es.cpp); read through messages.h.
#pragma once

#include <span>

#include "atalaya/core/messages.h"

namespace atalaya {

std::span<const MessageEntry> messages_en();
std::span<const MessageEntry> messages_es();

}  // namespace atalaya
