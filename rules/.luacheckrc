-- luacheck configuration for Vitals rules: luacheck --config rules/.luacheckrc rules
-- (Debian: apt-get install lua-check). It flags typos in names, unused
-- variables and anything the sandbox would refuse, before a rule is run.

std = "lua54"

-- The helpers Vitals gives every rule (rules/types/vitals.lua documents them);
-- a misspelt helper name is reported.
read_globals = {
  vitals = {
    fields = {
      "figure", "format", "format_pct", "is_worse", "next_period", "periods_between",
      "period_label", "period_word", "sorted_pairs", "log",
    },
  },
}

-- What the sandbox does not offer (docs/sandbox.md): using any of these is a
-- mistake luacheck can point at.
not_globals = {
  "io", "os", "debug", "package", "coroutine",
  "dofile", "loadfile", "load", "collectgarbage",
  "setmetatable", "getmetatable", "rawset", "rawget",
  "pcall", "xpcall", "warn",
}

max_line_length = 120

-- Editor definitions (---@meta) declare the API; they are not rules.
exclude_files = { "**/types/*.lua" }
