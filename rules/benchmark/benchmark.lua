-- An optional criterion: performance is worse than the council's comparators.
-- Not one of the council's four criteria, so it is not in rules/council: a
-- catalogue that wants it adds "../../rules/benchmark" (or wherever the rules
-- live) to rule_dirs. It needs [comparators] in catalogue.toml.

-- Variances are computed in binary floating point: a margin for "exactly".
local EPSILON = 1e-9

-- Comparators as national tables print them: to one decimal place.
local function published(x)
  return vitals.format(math.floor(x * 10 + 0.5) / 10)
end

local NAMES = {
  family_group = "the family group",
  region = "the region",
  england = "England",
}

return {
  id = "benchmark",
  version = "1.1",
  description = "Performance is worse than a comparator (the family group unless the catalogue "
    .. "says otherwise) by the tolerance or more, or the council ranks in the bottom quartile "
    .. "of all councils.",
  criterion = "benchmark",
  -- How reports name the criterion in the summary and on cards.
  label = "worse than comparators",

  -- Set in the catalogue, e.g. [rules.benchmark] against = "england".
  params = {
    against = {
      type = "string", default = "family_group", values = { "family_group", "region", "england" },
      description = "The comparator the latest result is held against.",
    },
    tolerance_pct = {
      type = "number", default = 5, min = 0,
      description = "How much worse than the comparator, in percent of its figure, the "
        .. "result may be before it is an exception.",
    },
    bottom_quartile = {
      type = "boolean", default = true,
      description = "Whether a rank in the bottom quartile of all councils is an exception.",
    },
  },

  evaluate = function(ctx)
    local c = ctx.comparators
    if c == nil then
      return { status = "ok", message = "no comparators for this indicator" }
    end
    local latest = ctx.latest
    if latest == nil or latest.value == nil then
      return { status = "insufficient_data", message = "no result up to " .. ctx.period_label }
    end
    local against = ctx.params.against
    local figure = c[against]
    local reasons = {}
    local evidence = { period = latest.period, value = latest.value, comparator_period = c.period }

    if figure ~= nil and figure.value ~= nil and figure.value ~= 0 then
      -- Positive when the result is worse than the comparator.
      local gap = (latest.value - figure.value) / math.abs(figure.value) * 100
      if ctx.indicator.polarity == "bigger" then gap = -gap end
      evidence[against] = figure.value
      evidence.gap_pct = gap
      if gap >= ctx.params.tolerance_pct - EPSILON then
        reasons[#reasons + 1] = vitals.figure(latest.value, ctx.indicator) .. " is " .. vitals.format_pct(gap)
          .. "% worse than " .. NAMES[against] .. " (" .. published(figure.value) .. " in "
          .. c.period .. "), tolerance " .. vitals.format(ctx.params.tolerance_pct) .. "%"
      end
    end
    if c.rank ~= nil then
      evidence.rank = c.rank
      evidence.ranked = c.ranked
      if ctx.params.bottom_quartile and c.quartile == 4 then
        reasons[#reasons + 1] = "ranked " .. c.rank .. " of " .. c.ranked .. " councils in "
          .. c.period .. " (bottom quartile)"
      end
    end

    if #reasons > 0 then
      return { status = "exception", message = table.concat(reasons, "; "), evidence = evidence }
    end
    if figure == nil or figure.value == nil then
      return { status = "ok", message = "no figure for " .. NAMES[against] .. " in " .. c.period,
               evidence = evidence }
    end
    return {
      status = "ok",
      message = vitals.figure(latest.value, ctx.indicator) .. " against " .. NAMES[against] .. "'s "
        .. published(figure.value) .. " (" .. c.period .. "): within tolerance",
      evidence = evidence,
    }
  end,
}
