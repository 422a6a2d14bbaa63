-- Statistical process control (SPC) for an indicator's series: XmR process
-- limits, the four special-cause tests and the "Making Data Count" variation
-- and assurance icons. Shared by the rules in rules/spc/ and available to any
-- rule: local spc = require "vitals.spc"
--
-- What every number means, and how the two profiles differ: docs/spc.md.
local spc = {}

-- Process limits sit 2.66 average moving ranges from the mean (3 sigma, with
-- sigma estimated as the average moving range / 1.128).
spc.LIMIT = 2.66
-- The "2 sigma" line of the two-of-three test: two thirds of the way to a limit.
spc.NEAR = 2 * spc.LIMIT / 3
-- With outlier screening, moving ranges this many times the average or more
-- are left out and the average is taken again.
spc.SCREEN = 3.267

spc.TESTS = { "outside_limits", "shift", "trend", "two_of_three" }

-- The named profiles. Each setting can also be given on its own as a rule parameter.
spc.PROFILES = {
  -- The rules as the Making Data Count guidance states them.
  mdc = {
    shift_length = 7,          -- points in a row on one side of the mean
    trend_length = 7,          -- points in a row, each higher (or lower) than the last
    screen_outliers = false,   -- every moving range counts
    two_of_three = "beyond",   -- points beyond 2 sigma, outside the limits included
    trend_side = "direction",  -- a rising trend is high, a falling one low
    trial_below = 13,          -- fewer baseline points than this: trial limits
  },
  -- As NHSRplotthedots (ptd_spc) computes them.
  ptd = {
    shift_length = 7,
    trend_length = 7,
    screen_outliers = true,
    two_of_three = "band",     -- only points between 2 sigma and the limit count,
                               -- and all three points must be on one side of the mean
    trend_side = "mean",       -- every special-cause point is judged by its side of the mean
    trial_below = 12,
  },
}

local PERIOD_SHAPES = {
  monthly = { "^%d%d%d%d%-%d%d$", "2017-03" },
  quarterly = { "^%d%d%d%d%-Q%d$", "2017-Q1" },
  annual = { "^%d%d%d%d$", "2017" },
  financial_year = { "^%d%d%d%d/%d%d$", "2016/17" },
  financial_quarterly = { "^%d%d%d%d/%d%d%-Q%d$", "2017/18-Q1" },
}

local function check_period(name, text, frequency)
  local shape = PERIOD_SHAPES[frequency]
  if type(text) ~= "string" or not text:find(shape[1]) then
    error("parameter " .. name .. " must be a " .. frequency:gsub("_", " ") .. " period such as "
      .. shape[2] .. ", got " .. tostring(text))
  end
  vitals.period_label(text)  -- rejects impossible periods such as 2017-13
  return text
end

local function whole_number(name, value, least)
  local whole = math.tointeger(value)
  if whole == nil or whole < least then
    error("parameter " .. name .. " must be a whole number of at least " .. least .. ", got "
      .. tostring(value))
  end
  return whole
end

-- The settings for `params` (a rule's ctx.params) on an indicator measured at
-- `frequency`: the profile's, with any parameter given laid over them.
function spc.settings(params, frequency)
  local name = params.profile or "mdc"
  local profile = spc.PROFILES[name]
  if profile == nil then
    error("parameter profile must be \"mdc\" or \"ptd\", got " .. tostring(name))
  end
  local s = { profile = name }
  for key, value in pairs(profile) do s[key] = value end

  if params.shift_length ~= nil then s.shift_length = whole_number("shift_length", params.shift_length, 2) end
  if params.trend_length ~= nil then s.trend_length = whole_number("trend_length", params.trend_length, 3) end
  if params.screen_outliers ~= nil then
    if type(params.screen_outliers) ~= "boolean" then
      error("parameter screen_outliers must be true or false, got " .. tostring(params.screen_outliers))
    end
    s.screen_outliers = params.screen_outliers
  end
  if params.baseline_points ~= nil then
    s.baseline_points = whole_number("baseline_points", params.baseline_points, 2)
  end
  if params.baseline_from ~= nil then
    s.baseline_from = check_period("baseline_from", params.baseline_from, frequency)
  end
  if params.baseline_to ~= nil then
    s.baseline_to = check_period("baseline_to", params.baseline_to, frequency)
  end
  if s.baseline_from and s.baseline_to and vitals.periods_between(s.baseline_from, s.baseline_to) < 0 then
    error("parameter baseline_to (" .. s.baseline_to .. ") is before baseline_from (" .. s.baseline_from .. ")")
  end

  s.rebase_at = {}
  if params.rebase_at ~= nil then
    if type(params.rebase_at) ~= "string" then
      error("parameter rebase_at must be text listing periods, such as \"2016-10 2017-01\", got "
        .. tostring(params.rebase_at))
    end
    for period in params.rebase_at:gmatch("[^,%s]+") do
      s.rebase_at[#s.rebase_at + 1] = check_period("rebase_at", period, frequency)
    end
  end

  s.tests = {}
  local tests = params.tests or table.concat(spc.TESTS, " ")
  if type(tests) ~= "string" then
    error("parameter tests must be text such as \"outside_limits shift\", got " .. tostring(tests))
  end
  for test in tests:gmatch("[^,%s]+") do
    local known = false
    for _, t in ipairs(spc.TESTS) do known = known or t == test end
    if not known then
      error("parameter tests: unknown test '" .. test
        .. "' (use outside_limits, shift, trend and two_of_three)")
    end
    s.tests[test] = true
  end
  return s
end

local function mean_of(values)
  local total = 0
  for _, v in ipairs(values) do total = total + v end
  return total / #values
end

local function sign(x)
  if x > 0 then return 1 elseif x < 0 then return -1 end
  return 0
end

-- The points an analysis covers: those with a value, from the latest rebase
-- at or before the latest point.
local function analysed_points(series, s)
  local points = {}
  for _, p in ipairs(series) do
    if p.value ~= nil then points[#points + 1] = p end
  end
  if #points == 0 then return points, nil end
  local latest = points[#points].period
  local start = nil
  for _, r in ipairs(s.rebase_at) do
    if vitals.periods_between(r, latest) >= 0 and (start == nil or vitals.periods_between(start, r) > 0) then
      start = r
    end
  end
  if start == nil then return points, nil end
  local kept = {}
  for _, p in ipairs(points) do
    if vitals.periods_between(start, p.period) >= 0 then kept[#kept + 1] = p end
  end
  return kept, start
end

local function baseline_of(points, s)
  local base = {}
  for _, p in ipairs(points) do
    local after = s.baseline_from == nil or vitals.periods_between(s.baseline_from, p.period) >= 0
    local before = s.baseline_to == nil or vitals.periods_between(p.period, s.baseline_to) >= 0
    if after and before then base[#base + 1] = p end
  end
  if s.baseline_points ~= nil then
    while #base > s.baseline_points do table.remove(base) end
  end
  return base
end

-- Average moving range of `values`, with outlier screening when asked.
-- Returns the average and how many moving ranges were screened out.
local function average_moving_range(values, screen)
  local ranges = {}
  for i = 2, #values do ranges[#ranges + 1] = math.abs(values[i] - values[i - 1]) end
  local average = mean_of(ranges)
  if not screen or average == 0 then return average, 0 end
  local kept = {}
  for _, r in ipairs(ranges) do
    if r < spc.SCREEN * average then kept[#kept + 1] = r end
  end
  return mean_of(kept), #ranges - #kept
end

-- Runs the tests on the last point of `values` (the analysed points' values).
-- Each flag found is { direction = 1 (high or rising) | -1 | 0, ... details }.
local function test_latest(values, a, s)
  local n = #values
  local x = values[n]
  local flags = {}
  local side = sign(x - a.mean)

  if x > a.upper then
    flags.outside_limits = { direction = 1 }
  elseif x < a.lower then
    flags.outside_limits = { direction = -1 }
  end

  -- Shift: points in a row strictly on the latest point's side of the mean.
  local run = 0
  if side ~= 0 then
    for i = n, 1, -1 do
      if sign(values[i] - a.mean) ~= side then break end
      run = run + 1
    end
  end
  a.shift_run = run
  if run >= s.shift_length then flags.shift = { direction = side } end

  -- Trend: points in a row, each strictly higher (or lower) than the one before.
  local steps, travel = 0, 0
  for i = n, 2, -1 do
    local d = sign(values[i] - values[i - 1])
    if d == 0 or (travel ~= 0 and d ~= travel) then break end
    travel = d
    steps = steps + 1
  end
  a.trend_run = steps + 1
  a.trend_travel = travel
  if steps + 1 >= s.trend_length then
    flags.trend = { direction = s.trend_side == "direction" and travel or side }
  end

  -- Two of three: the latest point and at least one of the two before it
  -- beyond 2 sigma on the same side.
  local function beyond(v, dir)
    if dir > 0 then
      if s.two_of_three == "band" then return v > a.near_upper and v <= a.upper end
      return v > a.near_upper
    end
    if s.two_of_three == "band" then return v < a.near_lower and v >= a.lower end
    return v < a.near_lower
  end
  local count = 0
  if n >= 3 and side ~= 0 and beyond(x, side) then
    local same_side = true
    for i = n - 2, n do
      if beyond(values[i], side) then count = count + 1 end
      if sign(values[i] - a.mean) ~= side then same_side = false end
    end
    if count >= 2 and (s.two_of_three ~= "band" or same_side) then
      flags.two_of_three = { direction = side }
    end
  end
  a.beyond_2_sigma = count
  if s.trend_side == "mean" then
    -- As NHSRplotthedots: a special-cause point is high or low by its side of the mean.
    for _, f in pairs(flags) do f.direction = side end
  end
  return flags
end

-- "special_cause_improvement", "special_cause_concern" for a flag's direction.
local function kind_of(direction, polarity)
  local good = polarity == "bigger" and 1 or -1
  if direction == good then return "special_cause_improvement" end
  return "special_cause_concern"
end

-- The assurance icon: where the target sits against the process limits.
function spc.assurance(target, a, polarity)
  if target == nil then return "none" end
  if target > a.upper then
    return polarity == "bigger" and "consistently_failing" or "consistently_passing"
  elseif target < a.lower then
    return polarity == "bigger" and "consistently_passing" or "consistently_failing"
  end
  return "hit_or_miss"
end

-- Analyses ctx.series with settings `s` (spc.settings). Returns the analysis,
-- or nil and why not (not enough data). The analysis holds: points (those
-- analysed, oldest first), rebased_at, baseline (points), mean,
-- average_moving_range, screened, upper, lower, near_upper, near_lower, trial,
-- flags (per test, for the latest point, each with direction and kind),
-- variation, assurance, shift_run, trend_run, trend_travel, beyond_2_sigma.
function spc.analyse(ctx, s)
  local points, rebased_at = analysed_points(ctx.series, s)
  if #points == 0 then return nil, "no values up to " .. ctx.period_label end
  local baseline = baseline_of(points, s)
  if #baseline < 2 then
    local which = #baseline == 0 and "none" or ("only " .. baseline[1].label)
    return nil, "process limits need at least 2 values in the baseline, and it has " .. which
  end
  local a = { points = points, rebased_at = rebased_at, baseline = baseline }
  local base_values, values = {}, {}
  for i, p in ipairs(baseline) do base_values[i] = p.value end
  for i, p in ipairs(points) do values[i] = p.value end
  a.mean = mean_of(base_values)
  a.average_moving_range, a.screened = average_moving_range(base_values, s.screen_outliers)
  a.upper = a.mean + spc.LIMIT * a.average_moving_range
  a.lower = a.mean - spc.LIMIT * a.average_moving_range
  a.near_upper = a.mean + spc.NEAR * a.average_moving_range
  a.near_lower = a.mean - spc.NEAR * a.average_moving_range
  a.trial = #baseline < s.trial_below

  local polarity = ctx.indicator.polarity
  a.flags = test_latest(values, a, s)
  a.variation = "common_cause"
  for _, test in ipairs(spc.TESTS) do
    local flag = a.flags[test]
    if flag ~= nil then
      flag.kind = kind_of(flag.direction, polarity)
      if s.tests[test] then
        if flag.kind == "special_cause_concern" then
          a.variation = flag.kind
        elseif a.variation == "common_cause" then
          a.variation = flag.kind
        end
      end
    end
  end
  a.assurance = spc.assurance(points[#points].target, a, polarity)
  return a
end

-- The special-cause points of the whole chart, as Making Data Count charts
-- mark them: each analysed point is judged as if it were the latest (against
-- the same limits), and when a test finds it, the points that make the
-- finding are marked with it: the whole run of a shift or a trend, the points
-- beyond 2 sigma of a two of three, the point itself when outside the limits.
-- Only the tests in s.tests count. Returns a list, one entry per analysed
-- point: "concern", "improvement" or nil (common cause). A point that two
-- findings mark in opposite directions is concern, as for the latest point.
function spc.point_kinds(a, s, polarity)
  local values = {}
  for i, p in ipairs(a.points) do values[i] = p.value end
  local kinds = {}
  local function mark(from, to, kind)
    for j = math.max(from, 1), to do
      if kind == "concern" or kinds[j] == nil then kinds[j] = kind end
    end
  end
  for i = 1, #values do
    local prefix = table.move(values, 1, i, 1, {})
    local limits = { mean = a.mean, upper = a.upper, lower = a.lower,
      near_upper = a.near_upper, near_lower = a.near_lower }
    local flags = test_latest(prefix, limits, s)
    for _, test in ipairs(spc.TESTS) do
      local flag = flags[test]
      if flag ~= nil and s.tests[test] then
        local kind = kind_of(flag.direction, polarity) == "special_cause_concern" and "concern" or "improvement"
        if test == "outside_limits" then
          mark(i, i, kind)
        elseif test == "shift" then
          mark(i - limits.shift_run + 1, i, kind)
        elseif test == "trend" then
          mark(i - limits.trend_run + 1, i, kind)
        else
          local side = flag.direction
          for j = i - 2, i do
            local v = values[j]
            local beyond = (a.mean - v) * side < 0
              and (side > 0 and v > a.near_upper or side < 0 and v < a.near_lower)
            if s.two_of_three == "band" then
              beyond = beyond and v <= a.upper and v >= a.lower
            end
            if beyond then mark(j, j, kind) end
          end
        end
      end
    end
  end
  return kinds
end

-- The periods of the points marked `kind` by spc.point_kinds, space-separated
-- ("2016-09 2016-10"), or "" when there are none.
function spc.periods_of(a, kinds, kind)
  local out = {}
  for i, p in ipairs(a.points) do
    if kinds[i] == kind then out[#out + 1] = p.period end
  end
  return table.concat(out, " ")
end

-- "13 points, Apr 2016 to Apr 2017" for the baseline, with "trial limits" when they are.
function spc.baseline_text(a)
  local first, last = a.baseline[1], a.baseline[#a.baseline]
  local text = (a.trial and "trial limits from " or "limits from ") .. #a.baseline .. " points, "
    .. first.label .. " to " .. last.label
  if a.screened > 0 then
    text = text .. ", " .. a.screened .. " outlying moving range" .. (a.screened > 1 and "s" or "")
      .. " screened out"
  end
  return text
end

-- The icon names in words: "special cause concern", "hit or miss".
function spc.words(name)
  return (name:gsub("_", " "))
end

return spc
