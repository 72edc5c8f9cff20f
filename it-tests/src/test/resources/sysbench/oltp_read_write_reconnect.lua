#!/usr/bin/env sysbench
-- sysbench's oltp_read_write, but a thread whose connection breaks (the master was killed, a
-- failover closed it) opens a new one and goes on, instead of stopping the run.
--
-- Debian's sysbench 1.0.20 is built on libmariadb and dies of a segmentation fault at the first lost
-- connection, with the errors listed in --mysql-ignore-errors (its reconnect reuses the closed MYSQL
-- handle, akopytov/sysbench#527) and with --mysql-ignore-errors=all alike. Here the lost connection
-- is an ordinary error (leave --mysql-ignore-errors at its default), caught in Lua, and the new
-- connection is a fresh handle. Run it as oltp_read_write, by its path:
--   sysbench oltp_read_write_reconnect.lua --db-driver=mysql --mysql-host=... --threads=4 --time=60 run
require("oltp_read_write")

local ffi = require("ffi")
ffi.cdef("int usleep(unsigned int usec);")

local transaction = event

local function reconnect()
   pcall(function() con:disconnect() end)
   while true do
      local ok, fresh = pcall(function() return drv:connect() end)
      if ok and fresh ~= nil then
         con = fresh
         -- Statements belong to their connection: prepare them again on the new one.
         for t = 1, sysbench.opt.tables do
            stmt[t] = {}
            param[t] = {}
         end
         stmt.begin = nil
         stmt.commit = nil
         prepare_statements()
         return
      end
      ffi.C.usleep(50000)
   end
end

function event()
   local ok, err = pcall(transaction)
   if not ok then
      if type(err) == "table" and err.errcode == sysbench.error.RESTART_EVENT then
         error(err, 0) -- a deadlock or a lock wait timeout, ignored by sysbench as usual
      end
      reconnect()
   end
end
