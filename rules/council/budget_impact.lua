-- Criterion 3 of the exception-reporting process: performance is adversely
-- affecting the council's ability to achieve its budget.
--
-- An indicator is an exception when a budget line it is linked to forecasts an
-- adverse variance (an overspend) at or above the thresholds, or a saving
-- planned against such a line is rated Red or Amber, AND the indicator's own
-- performance is adverse: rated Red or Amber, or worse in each of the latest
-- `run` periods.

local money = require "vitals.money"
local performance = require "vitals.performance"

-- Variances are computed in binary floating point: a threshold counts as met
-- within this margin, so "exactly 2%" is 2%.
local EPSILON = 1e-9

local RAG_LABEL = { red = "Red", amber = "Amber" }

local function settings_of(params)
  return {
    pct = params.variance_pct,
    gbp = params.variance_gbp,
    match = params.match,
    savings = params.savings,
    run = params.run,
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
      description = "Whether savings rated Red or Amber count.",
    },
    run = {
      type = "integer", default = 3, min = 1,
      description = "Adverse changes in a row that count as deteriorating.",
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
