-- Criterion 3 of the exception-reporting process: performance is adversely
-- affecting the council's ability to achieve its budget.
--
-- An indicator is an exception when a budget line it is linked to forecasts an
-- adverse variance (an overspend) at or above the thresholds, or a saving
-- planned against such a line is rated Red or Amber, AND the indicator's own
-- performance is adverse: rated Red or Amber, or worse in each of the latest
-- `run` periods.
--
-- Parameters (set in the catalogue, e.g. [rules.budget_impact]):
--   variance_pct  overspend, in percent of the line's budget (default 1)
--   variance_gbp  overspend in pounds (default 0)
--   match         "all" (default): a line must reach both thresholds;
--                 "any": either one is enough
--   savings       whether Red or Amber savings count (default true)
--   run           adverse changes in a row that count as deteriorating (default 3)

local money = require "vitals.money"
local performance = require "vitals.performance"

-- Variances are computed in binary floating point: a threshold counts as met
-- within this margin, so "exactly 2%" is 2%.
local EPSILON = 1e-9

local RAG_LABEL = { red = "Red", amber = "Amber" }

local function number_param(params, name, default)
  local value = params[name]
  if value == nil then return default end
  if type(value) ~= "number" or value < 0 then
    error("parameter " .. name .. " must be a number of at least 0, got " .. tostring(value))
  end
  return value
end

local function settings_of(params)
  local match = params.match
  if match == nil then match = "all" end
  if match ~= "all" and match ~= "any" then
    error("parameter match must be \"all\" or \"any\", got " .. tostring(match))
  end
  local savings = params.savings
  if savings == nil then savings = true end
  if type(savings) ~= "boolean" then
    error("parameter savings must be true or false, got " .. tostring(savings))
  end
  return {
    pct = number_param(params, "variance_pct", 1),
    gbp = number_param(params, "variance_gbp", 0),
    match = match,
    savings = savings,
    run = performance.run_param(params, 3),
  }
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

-- Whether a line's variance reaches the thresholds.
local function over_threshold(line, s)
  if line.variance == nil or line.variance <= 0 then return false end
  local by_pct = line.variance_pct ~= nil and line.variance_pct >= s.pct - EPSILON
  if line.variance_pct == nil and s.pct == 0 then by_pct = true end
  local by_gbp = line.variance >= s.gbp - EPSILON
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
  version = "1.0",
  description = "Performance is adverse and a linked budget line forecasts an overspend "
    .. "beyond the thresholds, or a linked saving is rated Red or Amber.",
  criterion = "budget_impact",

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

    local pressures = {}
    local lines = {}
    local savings = {}
    local within = {}
    for _, line in ipairs(ctx.budget_lines) do
      if over_threshold(line, s) then
        table.insert(pressures, "linked budget line " .. line.title .. " forecasts "
          .. variance_text(line))
        table.insert(lines, line.id)
      elseif line.variance ~= nil then
        table.insert(within, line.title .. " " .. variance_text(line))
      end
      if s.savings then
        for _, saving in ipairs(line.savings) do
          if saving.rag == "red" or saving.rag == "amber" then
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
