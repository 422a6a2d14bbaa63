-- Statistical process control, as the NHS "Making Data Count" programme and
-- many councils use it: an exception when the latest result is special cause
-- variation of concern, that is a signal, in the wrong direction, that
-- something has changed rather than the usual ups and downs.
--
-- The latest point is special cause when any of these tests finds it:
--   outside_limits  it is outside the process limits (mean +/- 2.66 x average moving range)
--   shift           it ends a run of 7 or more points on one side of the mean
--   trend           it ends a run of 7 or more points each higher (or lower) than the last
--   two_of_three    it and one of the two points before it are beyond 2 sigma on one side
--
-- Parameters are set in the catalogue under [rules.spc] or [indicator.rules.spc]
-- (see `params` below; docs/spc.md explains the profiles).
--
-- The evidence always carries the icons: variation ("common_cause",
-- "special_cause_improvement", "special_cause_concern") and assurance
-- ("consistently_passing", "consistently_failing", "hit_or_miss", or "none"
-- without a target), with limits_are_trial when the baseline is short.

local spc = require "vitals.spc"

local function side_word(direction)
  return direction > 0 and "above" or "below"
end

local function plural(n, word)
  return n .. " " .. word .. (n == 1 and "" or "s")
end

-- One phrase per test about the latest point, with the numbers compared as
-- `fmt` writes them (the indicator's decimals and unit).
local function phrases(a, s, fmt)
  local latest = a.points[#a.points]
  local x = fmt(latest.value)
  local out = {}

  local outside = a.flags.outside_limits
  if outside then
    out.outside_limits = x .. " is " .. side_word(outside.direction) .. " the "
      .. (outside.direction > 0 and "upper" or "lower") .. " process limit of "
      .. fmt(outside.direction > 0 and a.upper or a.lower)
  else
    out.outside_limits = x .. " is within the process limits " .. fmt(a.lower) .. " to " .. fmt(a.upper)
  end

  if a.shift_run == 0 then
    out.shift = x .. " is on the mean (a shift needs " .. s.shift_length .. " points on one side)"
  else
    local dir = latest.value > a.mean and 1 or -1
    out.shift = plural(a.shift_run, "point") .. " in a row " .. side_word(dir) .. " the mean of "
      .. fmt(a.mean)
    if not a.flags.shift then out.shift = out.shift .. " (a shift needs " .. s.shift_length .. ")" end
  end

  if a.trend_run == 1 then
    out.trend = "no rise or fall from the point before (a trend needs " .. s.trend_length .. " points)"
  else
    out.trend = a.trend_run .. " points in a row " .. (a.trend_travel > 0 and "rising" or "falling")
    if not a.flags.trend then out.trend = out.trend .. " (a trend needs " .. s.trend_length .. ")" end
  end

  local dir = latest.value >= a.mean and 1 or -1
  local line = dir > 0 and a.near_upper or a.near_lower
  local band = s.two_of_three == "band" and " and inside the limit" or ""
  out.two_of_three = a.beyond_2_sigma .. " of the last 3 points " .. side_word(dir) .. " "
    .. fmt(line) .. " (2 sigma" .. band .. ")"
  if not a.flags.two_of_three then out.two_of_three = out.two_of_three .. "; two of three needs 2" end
  return out
end

local ASSURANCE_WORDS = {
  consistently_passing = "consistently passing",
  consistently_failing = "consistently failing",
  hit_or_miss = "hit or miss",
}

local function assurance_text(a, fmt)
  local target = a.points[#a.points].target
  if target == nil then return nil end
  local where
  if target > a.upper then
    where = "above the upper process limit"
  elseif target < a.lower then
    where = "below the lower process limit"
  else
    where = "within the process limits"
  end
  return "target " .. fmt(target) .. " is " .. where .. ": " .. ASSURANCE_WORDS[a.assurance]
end

return {
  id = "spc",
  version = "1.0",
  description = "Statistical process control: the latest result is special cause variation "
    .. "of concern (outside the process limits, a shift, a trend or two of three near a limit).",
  criterion = "special_cause_concern",
  -- How reports name the criterion in the summary and on cards.
  label = "special cause concern",

  params = {
    profile = {
      type = "string", default = "mdc", values = { "mdc", "ptd" },
      description = "\"mdc\" (Making Data Count) or \"ptd\" (NHSRplotthedots): see docs/spc.md "
        .. "for how they differ.",
    },
    shift_length = {
      type = "integer", min = 2,
      description = "Points in a row on one side of the mean that make a shift (profile: 7).",
    },
    trend_length = {
      type = "integer", min = 3,
      description = "Points in a row, each higher (or lower) than the last, that make a trend "
        .. "(profile: 7).",
    },
    screen_outliers = {
      type = "boolean",
      description = "Leave out very large moving ranges when setting the limits.",
    },
    tests = {
      type = "list", default = "outside_limits shift trend two_of_three",
      values = { "outside_limits", "shift", "trend", "two_of_three" },
      description = "Which tests count, e.g. \"outside_limits shift\".",
    },
    baseline_from = {
      type = "string",
      description = "Fix the limits on the results from this period, e.g. \"2016-04\".",
    },
    baseline_to = {
      type = "string",
      description = "Fix the limits on the results up to this period.",
    },
    baseline_points = {
      type = "integer", min = 2,
      description = "Fix the limits on the first this many results.",
    },
    rebase_at = {
      type = "list",
      description = "Periods where the process changed, e.g. \"2016-10 2017-01\": the chart "
        .. "starts again from the latest of them.",
    },
  },

  evaluate = function(ctx)
    local s = spc.settings(ctx.params, ctx.indicator.frequency)
    if ctx.latest == nil then
      return { status = "insufficient_data", message = "no data up to " .. ctx.period_label }
    end
    if ctx.data_state ~= "current" then
      return {
        status = "insufficient_data",
        message = "latest figure is for " .. ctx.latest.label .. ", later than the allowed lag; "
          .. "variation is judged on current data only",
        evidence = { latest_period = ctx.latest.period },
      }
    end
    local a, why = spc.analyse(ctx, s)
    if a == nil then
      return { status = "insufficient_data", message = why, evidence = { profile = s.profile } }
    end

    local function fmt(x) return vitals.figure(x, ctx.indicator) end
    local said = phrases(a, s, fmt)
    local reasons = {}
    for _, test in ipairs(spc.TESTS) do
      local flag = a.flags[test]
      if s.tests[test] then
        if a.variation == "common_cause" or (flag and flag.kind == a.variation) then
          reasons[#reasons + 1] = said[test]
        end
      end
    end
    local parts = {
      spc.words(a.variation == "common_cause" and "common_cause_variation" or a.variation) .. ": "
        .. table.concat(reasons, "; "),
      "mean " .. fmt(a.mean) .. ", process limits " .. fmt(a.lower) .. " to " .. fmt(a.upper)
        .. " (" .. spc.baseline_text(a) .. ")",
    }
    parts[#parts + 1] = assurance_text(a, fmt)

    local latest = a.points[#a.points]
    local evidence = {
      profile = s.profile,
      variation = a.variation,
      assurance = a.assurance,
      limits_are_trial = a.trial,
      value = latest.value,
      period = latest.period,
      mean = a.mean,
      upper_limit = a.upper,
      lower_limit = a.lower,
      average_moving_range = a.average_moving_range,
      baseline_points = #a.baseline,
      baseline_from = a.baseline[1].period,
      baseline_to = a.baseline[#a.baseline].period,
      points = #a.points,
      shift_run = a.shift_run,
      trend_run = a.trend_run,
      beyond_2_sigma = a.beyond_2_sigma,
    }
    for _, test in ipairs(spc.TESTS) do
      local flag = a.flags[test]
      evidence[test] = flag ~= nil and s.tests[test] == true
    end
    local kinds = spc.point_kinds(a, s, ctx.indicator.polarity)
    evidence.concern_points = spc.periods_of(a, kinds, "concern")
    evidence.improvement_points = spc.periods_of(a, kinds, "improvement")
    if a.rebased_at then evidence.rebased_at = a.rebased_at end
    if latest.target ~= nil then evidence.target = latest.target end

    return {
      status = a.variation == "special_cause_concern" and "exception" or "ok",
      message = table.concat(parts, "; "),
      evidence = evidence,
    }
  end,
}
