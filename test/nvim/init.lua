-- Neovim's built-in LSP client talking to the pglens language server, headless:
--   PGLENS_SERVER=dist/server.js PGLENS_FILE=broken.sql PGLENS_OUT=out.json nvim --headless -u test/nvim/init.lua
-- opens PGLENS_FILE, waits for pglens's diagnostics and writes them to PGLENS_OUT as JSON, then quits
-- (exit code 1 when none came). test/nvim.test.ts runs it.
local server = assert(vim.env.PGLENS_SERVER, 'set PGLENS_SERVER to dist/server.js')
local file = assert(vim.env.PGLENS_FILE, 'set PGLENS_FILE to the file to open')
local out = assert(vim.env.PGLENS_OUT, 'set PGLENS_OUT to where the diagnostics go')
local timeout_ms = tonumber(vim.env.PGLENS_TIMEOUT_MS or '20000')

local function finish(result, code)
  local handle = assert(io.open(out, 'w'))
  handle:write(vim.fn.json_encode(result))
  handle:close()
  for _, client in pairs(vim.lsp.get_active_clients()) do client.stop() end
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.bo.filetype = 'sql'
local buffer = vim.api.nvim_get_current_buf()

local config = {
  name = 'pglens',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
}
-- vim.lsp.start (Neovim 0.8+) finds or starts the client and attaches the buffer; 0.7 does it in two steps.
if vim.lsp.start then
  vim.lsp.start(config)
else
  vim.lsp.buf_attach_client(buffer, vim.lsp.start_client(config))
end

local arrived = vim.wait(timeout_ms, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
if not arrived then
  finish({ error = 'no diagnostics within ' .. timeout_ms .. ' ms' }, 1)
end

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(diagnostics, {
    line = d.lnum, column = d.col, end_line = d.end_lnum, end_column = d.end_col,
    severity = d.severity, message = d.message, source = d.source, code = d.code or lsp.code,
  })
end
finish({ neovim = tostring(vim.version().major) .. '.' .. vim.version().minor, diagnostics = diagnostics }, 0)
