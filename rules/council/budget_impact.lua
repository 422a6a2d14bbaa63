-- Criterion 3 of the exception-reporting process: performance is adversely
-- affecting the council's ability to achieve its budget.
--
-- With a cost driver ([indicator.cost_driver]): the gap between the indicator
-- and its target, turned into people by the population and costed at the unit
-- cost for what is left of the financial year, is an exception when it reaches
-- `materiality_pct` of the budget of the line the driver charges.
--
-- Without one (the weaker reading): an exception when a budget line it is
-- linked to forecasts an adverse variance (an overspend) at or above the
-- thresholds, or a saving planned against such a line is rated Red or Amber
-- (or grouped "Red or Amber"), AND the indicator's own performance is
-- adverse: rated Red or Amber, or worse in each of the latest `run` periods.
-- A line whose figures are gross spend before income (basis "gross") is not
-- an overspend of the net budget, however far over it is. A line without a
-- budget (a monitoring period that printed only the variance) is judged on
-- its variance in pounds alone.

local money = require "vitals.money"
local performance = require "vitals.performance"

-- Variances are computed in binary floating point: a threshold counts as met
-- within this margin, so "exactly 2%" is 2%.
local EPSILON = 1e-9

local RAG_LABEL = { red = "Red", amber = "Amber", red_or_amber = "Red or Amber" }

local function settings_of(params)
  return {
    pct = params.variance_pct,
    gbp = params.variance_gbp,
    match = params.match,
    savings = params.savings,
    run = params.run,
    materiality = params.materiality_pct,
  }
end

local PER_TEXT = { week = "a week", day = "a day", month = "a month", once = "each" }
local PER_LEFT = { week = "weeks", day = "days", month = "months" }
-- How many people one unit of a rate or a percentage is of its population.
local RATE_BASE = { per_100k = 100000, percent = 100 }
local RATE_TEXT = { per_100k = " per 100,000", percent = " percentage points" }

-- "£1,036 a week (illustrative)": the unit cost as the catalogue gives it.
local function unit_cost_text(driver)
  local text = "£" .. vitals.format(driver.unit_cost) .. " " .. PER_TEXT[driver.per]
  if driver.unit_cost_illustrative then text = text .. " (illustrative)" end
  return text
end

-- The quantified reading: what the gap to target costs `line`, the line the
-- indicator's cost driver charges.
local function costed(ctx, line, s)
  local driver = line.cost_driver
  local latest = ctx.latest
  local why_not = performance.unjudgeable(ctx)
  if why_not ~= nil then
    return { status = "insufficient_data", message = "the gap to target cannot be costed: " .. why_not }
  end
  if latest.target == nil then
    return {
      status = "insufficient_data",
      message = "no target for " .. ctx.period_label .. ": the cost driver costs the gap to target",
    }
  end
  if line.budget == nil or line.budget == 0 then
    return {
      status = "insufficient_data",
      message = "no budget for " .. line.title .. " to judge the cost of the gap to target against",
    }
  end
  local unit = ctx.indicator.unit
  local base = RATE_BASE[unit]
  if base ~= nil and driver.population == nil then
    return {
      status = "insufficient_data",
      message = "the cost driver gives no population to turn the gap to target into people",
    }
  end

  local gap = latest.value - latest.target
  if ctx.indicator.polarity == "bigger" then gap = -gap end
  local evidence = {
    period = line.period,
    cost_line = line.id,
    gap = gap,
    unit_cost = driver.unit_cost,
    unit_cost_per = driver.per,
    materiality_pct = s.materiality,
  }
  if driver.per ~= "once" then evidence.remaining = driver.remaining end
  if driver.population ~= nil then evidence.population = driver.population end
  local illustrative = {}
  if driver.unit_cost_illustrative then table.insert(illustrative, "unit_cost") end
  if driver.population_illustrative then table.insert(illustrative, "population") end
  if #illustrative > 0 then evidence.illustrative = table.concat(illustrative, ", ") end
  if gap <= 0 then
    evidence.cost_gbp = 0
    return {
      status = "ok",
      message = "on or better than target (" .. vitals.figure(latest.value, ctx.indicator)
        .. " against " .. vitals.figure(latest.target, ctx.indicator) .. "): the gap costs "
        .. line.title .. " nothing",
      evidence = evidence,
    }
  end

  -- "60 per 100,000 over target × 213,765 aged 65+ / 100,000 = 128.3 admissions"
  local steps = vitals.format(gap) .. (RATE_TEXT[unit] or "")
    .. (ctx.indicator.polarity == "bigger" and " under target" or " over target")
  local units = gap
  if base ~= nil then
    units = gap * driver.population / base
    local who = driver.population_label ~= "" and (" " .. driver.population_label) or ""
    if driver.population_illustrative then who = who .. " (illustrative)" end
    steps = steps .. " × " .. vitals.format(driver.population) .. who .. " / "
      .. vitals.format(base) .. " = " .. vitals.format(units)
      .. (driver.unit_label ~= "" and (" " .. driver.unit_label) or "")
  end
  local cost = units * driver.unit_cost
  steps = steps .. " × " .. unit_cost_text(driver)
  if driver.per ~= "once" then
    cost = cost * driver.remaining
    steps = steps .. " × " .. vitals.format(driver.remaining) .. " " .. PER_LEFT[driver.per]
      .. " left in the financial year"
  end
  steps = steps .. " = " .. money.format(cost)
  local share = cost / math.abs(line.budget) * 100
  evidence.cost_gbp = cost
  evidence.cost_budget_pct = share
  evidence.cost_arithmetic = steps
  local judged = "the gap to target costs " .. line.title .. " " .. money.format(cost) .. ", "
    .. vitals.format(share) .. "% of its " .. money.format(line.budget) .. " budget"
  if share < s.materiality - EPSILON then
    return {
      status = "ok",
      message = judged .. ", below the " .. vitals.format(s.materiality) .. "% that is material ("
        .. steps .. ")",
      evidence = evidence,
    }
  end
  return performance.verdict(ctx, s.run, judged .. ", material at "
    .. vitals.format(s.materiality) .. "% (" .. steps .. ")", evidence)
end

-- "£8.2m overspend (7.9%)"
local function variance_text(line)
  local text = money.format(math.abs(line.variance))
    .. (line.variance >= 0 and " overspend" or " underspend")
  if line.variance_pct ~= nil then
    text = text .. " (" .. vitals.format_pct(math.abs(line.variance_pct)) .. "%)"
  end
  return text
end

-- "Mental Health £267k over on gross spend before income"
local function gross_text(line)
  return line.title .. " " .. money.format(math.abs(line.variance))
    .. (line.variance >= 0 and " over" or " under") .. " on gross spend before income"
end

-- Whether a line's variance reaches the thresholds.
local function over_threshold(line, s)
  if line.variance == nil or line.variance <= 0 or line.basis == "gross" then return false end
  local by_gbp = line.variance >= s.gbp - EPSILON
  if line.budget == nil then return by_gbp end
  local by_pct = line.variance_pct ~= nil and line.variance_pct >= s.pct - EPSILON
  if line.variance_pct == nil and s.pct == 0 then by_pct = true end
  if s.match == "any" then return by_pct or by_gbp end
  return by_pct and by_gbp
end

-- "linked saving X is Red (£0.6m of £1.5m)"
local function saving_text(saving)
  local text = "linked saving " .. saving.name .. " is " .. RAG_LABEL[saving.rag]
  if saving.forecast ~= nil and saving.planned ~= nil then
    text = text .. " (" .. money.format(saving.forecast) .. " of " .. money.format(saving.planned)
      .. ")"
  end
  return text
end

return {
  id = "budget_impact",
  version = "2.1",
  description = "The gap to target costs a material share of the budget line the "
    .. "indicator's cost driver charges; without a cost driver, performance is adverse and "
    .. "a linked budget line forecasts an overspend beyond the thresholds, or a linked "
    .. "saving is rated Red or Amber.",
  criterion = "budget_impact",
  -- How reports name the criterion in the summary and on cards.
  label = "affecting the budget",

  -- Set in the catalogue, e.g. [rules.budget_impact] variance_pct = 1.0.
  params = {
    variance_pct = {
      type = "number", default = 1, min = 0,
      description = "Overspend, in percent of the line's budget, that counts.",
    },
    variance_gbp = {
      type = "number", default = 0, min = 0,
      description = "Overspend, in pounds, that counts.",
    },
    match = {
      type = "string", default = "all", values = { "all", "any" },
      description = "\"all\": a line must reach both thresholds; \"any\": either one is enough.",
    },
    savings = {
      type = "boolean", default = true,
      description = "Whether savings rated Red or Amber (or grouped \"Red or Amber\") count.",
    },
    run = {
      type = "integer", default = 3, min = 1,
      description = "Adverse changes in a row that count as deteriorating.",
    },
    materiality_pct = {
      type = "number", default = 1, min = 0,
      description = "With a cost driver: the cost of the gap to target, in percent of the "
        .. "line's budget, that is material.",
    },
  },

  applies_to = function(indicator)
    return #indicator.budget_lines > 0
  end,

  evaluate = function(ctx)
    local s = settings_of(ctx.params)
    if #ctx.budget_lines == 0 then
      return {
        status = "insufficient_data",
        message = "no budget monitoring figures for the linked budget lines ("
          .. table.concat(ctx.indicator.budget_lines, ", ") .. ")",
      }
    end

    local driven = ctx.indicator.cost_driver_line
    if driven ~= nil then
      for _, line in ipairs(ctx.budget_lines) do
        if line.cost_driver ~= nil then return costed(ctx, line, s) end
      end
      return {
        status = "insufficient_data",
        message = "no budget monitoring figures for " .. driven
          .. ", the line the cost driver charges",
      }
    end

    local pressures = {}
    local lines = {}
    local savings = {}
    local within = {}
    for _, line in ipairs(ctx.budget_lines) do
      if over_threshold(line, s) then
        table.insert(pressures, "linked budget line " .. line.title .. " forecasts "
          .. variance_text(line))
        table.insert(lines, line.id)
      elseif line.variance ~= nil and line.basis == "gross" then
        table.insert(within, gross_text(line))
      elseif line.variance ~= nil then
        table.insert(within, line.title .. " " .. variance_text(line))
      end
      if s.savings then
        for _, saving in ipairs(line.savings) do
          if RAG_LABEL[saving.rag] ~= nil then
            table.insert(pressures, saving_text(saving))
            table.insert(savings, saving.id)
          end
        end
      end
    end

    local evidence = {
      period = ctx.budget_lines[1].period,
      threshold_pct = s.pct,
      threshold_gbp = s.gbp,
    }
    if #lines > 0 then evidence.budget_lines = table.concat(lines, ", ") end
    if #savings > 0 then evidence.savings = table.concat(savings, ", ") end

    if #pressures == 0 then
      local message = "no linked budget line beyond the thresholds"
      if #within > 0 then message = message .. ": " .. table.concat(within, "; ") end
      return { status = "ok", message = message, evidence = evidence }
    end

    return performance.verdict(ctx, s.run, table.concat(pressures, "; "), evidence)
  end,
}
