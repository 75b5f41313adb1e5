-- Wireshark dissector for MyVpn (protocol version 1, docs/protocol.md).
--   tshark -X lua_script:captures/wireshark/myvpn.lua -r capture.pcap
-- Handshake messages on the TCP handshake port; data packets on the UDP session port range.
-- Ports come from the preferences (Edit > Preferences > Protocols > MYVPN), defaulting to the daemon's.

local myvpn = Proto("myvpn", "MyVpn")

myvpn.prefs.handshake_port = Pref.uint("Handshake TCP port", 9525, "TCP port of the handshake")
myvpn.prefs.first_port = Pref.uint("First session UDP port", 40000, "First UDP port of the session range")
myvpn.prefs.last_port = Pref.uint("Last session UDP port", 40999, "Last UDP port of the session range")

local msg_types = { [1] = "ClientHello", [2] = "ServerHello", [3] = "ClientAuth", [4] = "ServerAccept", [5] = "Reject" }
local reject_codes = { [1] = "AuthenticationFailed", [2] = "UnsupportedVersion", [3] = "Malformed",
  [4] = "NoAddressAvailable", [5] = "NoPortAvailable", [6] = "Busy", [7] = "Timeout" }

local f = myvpn.fields
f.hs_type = ProtoField.uint8("myvpn.hs.type", "Message type", base.DEC, msg_types)
f.hs_version = ProtoField.uint8("myvpn.hs.version", "Version", base.DEC)
f.hs_length = ProtoField.uint16("myvpn.hs.length", "Body length", base.DEC)
f.hs_pubkey = ProtoField.bytes("myvpn.hs.pubkey", "Ephemeral P-256 public key")
f.hs_nonce = ProtoField.bytes("myvpn.hs.nonce", "Nonce")
f.hs_sealed = ProtoField.bytes("myvpn.hs.sealed", "Encrypted body (AES-256-GCM)")
f.hs_sealed_len = ProtoField.uint16("myvpn.hs.sealed_length", "Encrypted body length", base.DEC)
f.hs_tag = ProtoField.bytes("myvpn.hs.tag", "Tag")
f.hs_grant_ext = ProtoField.uint16("myvpn.hs.grant_extension_length", "Grant extension length (pushed routes and DNS, IPv6; encrypted)", base.DEC)
f.hs_reject = ProtoField.uint8("myvpn.hs.reject_code", "Reject code", base.DEC, reject_codes)
f.iv = ProtoField.bytes("myvpn.data.iv", "IV")
f.session = ProtoField.uint32("myvpn.data.session_id", "Session id", base.HEX)
f.counter = ProtoField.uint64("myvpn.data.counter", "Counter", base.DEC)
f.reserved = ProtoField.uint32("myvpn.data.reserved", "Reserved (zero)", base.HEX)
f.ct_len = ProtoField.uint32("myvpn.data.ciphertext_length", "Ciphertext length", base.DEC)
f.ciphertext = ProtoField.bytes("myvpn.data.ciphertext", "Ciphertext")
f.tag = ProtoField.bytes("myvpn.data.tag", "Tag")
f.keepalive = ProtoField.bool("myvpn.data.keepalive", "Keepalive")
f.direction = ProtoField.string("myvpn.data.direction", "Direction")

local e_reserved = ProtoExpert.new("myvpn.data.reserved_nonzero", "IV reserved bytes are not zero", expert.group.MALFORMED, expert.severity.WARN)
local e_short = ProtoExpert.new("myvpn.data.short", "Shorter than IV + tag: not a MyVpn data packet", expert.group.MALFORMED, expert.severity.ERROR)
local e_hs = ProtoExpert.new("myvpn.hs.malformed", "Malformed handshake message", expert.group.MALFORMED, expert.severity.ERROR)
myvpn.experts = { e_reserved, e_short, e_hs }

local TAG = 16
local ACCEPT = 99          -- a ServerAccept body without a grant extension (docs/protocol.md 2.4)
local MAX_ACCEPT = 2576    -- with the largest extension

-- One handshake frame: type | version | length (BE) | body.
local function dissect_frame(tvb, pinfo, tree)
  local mtype = tvb(0, 1):uint()
  local blen = tvb(2, 2):uint()
  local name = msg_types[mtype] or string.format("Unknown(%d)", mtype)
  local t = tree:add(myvpn, tvb(0, 4 + blen), "MyVpn handshake: " .. name)
  t:add(f.hs_type, tvb(0, 1))
  t:add(f.hs_version, tvb(1, 1))
  t:add(f.hs_length, tvb(2, 2))
  local body = tvb(4, blen)
  if mtype == 1 or mtype == 2 then
    if blen ~= 97 then t:add_proto_expert_info(e_hs) return name end
    t:add(f.hs_pubkey, body(0, 65))
    t:add(f.hs_nonce, body(65, 32))
  elseif mtype == 3 or mtype == 4 then
    if blen <= TAG then t:add_proto_expert_info(e_hs) return name end
    t:add(f.hs_sealed_len, blen - TAG)
    t:add(f.hs_sealed, body(0, blen - TAG))
    t:add(f.hs_tag, body(blen - TAG, TAG))
    if mtype == 4 then
      if blen > ACCEPT then t:add(f.hs_grant_ext, blen - ACCEPT) end
      if blen < ACCEPT or blen > MAX_ACCEPT or (blen > ACCEPT and blen < ACCEPT + 4) then t:add_proto_expert_info(e_hs) end
    end
  elseif mtype == 5 then
    t:add(f.hs_reject, body(0, 1))
  else
    t:add_proto_expert_info(e_hs)
  end
  return name
end

local function frame_length(tvb, pinfo, offset)
  return 4 + tvb(offset + 2, 2):uint()
end

local function dissect_handshake_pdu(tvb, pinfo, tree)
  pinfo.cols.protocol = "MYVPN"
  local name = dissect_frame(tvb, pinfo, tree)
  pinfo.cols.info:append(" " .. name)
  return tvb:len()
end

-- Addresses seen receiving on the handshake port: they settle the direction of a datagram whose two
-- ports both lie in the session range (a client's ephemeral port can).
local servers = {}
function myvpn.init() servers = {} end

local function in_range(port)
  return port >= myvpn.prefs.first_port and port <= myvpn.prefs.last_port
end

local function dissect_tcp(tvb, pinfo, tree)
  if pinfo.dst_port == myvpn.prefs.handshake_port then servers[tostring(pinfo.dst)] = true end
  dissect_tcp_pdus(tvb, tree, 4, frame_length, dissect_handshake_pdu)
  return tvb:len()
end

-- One data packet: IV 16 | ciphertext | tag 16.
local function dissect_datagram(tvb, tree, to_server)
  local len = tvb:len()
  local t = tree:add(myvpn, tvb(), "MyVpn data packet")
  t:add(f.direction, to_server and "client->server" or "server->client")
  local iv = t:add(f.iv, tvb(0, 16))
  iv:add(f.session, tvb(0, 4))
  iv:add(f.counter, tvb(4, 8))
  local reserved = iv:add(f.reserved, tvb(12, 4))
  if tvb(12, 4):uint() ~= 0 then reserved:add_proto_expert_info(e_reserved) end
  local ct = len - 16 - TAG
  t:add(f.ct_len, ct)
  if ct > 0 then t:add(f.ciphertext, tvb(16, ct)) end
  t:add(f.tag, tvb(len - TAG, TAG))
  t:add(f.keepalive, ct == 0)
  return ct
end

-- A UDP payload may hold a run of datagrams (UDP GSO/GRO, captured on a VPN host or a veth path).
-- The segment size is not in the capture: it is the first size s at which, every s bytes, a header of
-- the same session starts again (reserved bytes zero, a higher counter), the last piece no longer than s.
local function segment_size(tvb)
  local len = tvb:len()
  if len < 2 * (16 + TAG) or tvb(12, 4):uint() ~= 0 then return 0 end
  local session = tvb(0, 4):uint()
  for size = 16 + TAG, len - 16 - TAG do
    local last = tvb(4, 8):uint64()
    local offset = size
    local ok = true
    while ok and offset < len do
      if len - offset < 16 + TAG or tvb(offset, 4):uint() ~= session or tvb(offset + 12, 4):uint() ~= 0
          or tvb(offset + 4, 8):uint64() <= last then
        ok = false
      else
        last = tvb(offset + 4, 8):uint64()
        offset = offset + size
      end
    end
    if ok then return size end
  end
  return 0
end

local function dissect_udp(tvb, pinfo, tree)
  local len = tvb:len()
  pinfo.cols.protocol = "MYVPN"
  if len < 16 + TAG then
    local t = tree:add(myvpn, tvb(), "MyVpn data packet")
    t:add_proto_expert_info(e_short)
    pinfo.cols.info = string.format("Not MyVpn (%d bytes)", len)
    return len
  end
  local to_server = in_range(pinfo.dst_port)
  if to_server and in_range(pinfo.src_port) and servers[tostring(pinfo.src)] and not servers[tostring(pinfo.dst)] then
    to_server = false
  end
  local dir = to_server and "C->S" or "S->C"
  local size = segment_size(tvb)
  if size > 0 then
    local count = 0
    for offset = 0, len - 1, size do
      dissect_datagram(tvb(offset, math.min(size, len - offset)), tree, to_server)
      count = count + 1
    end
    pinfo.cols.info = string.format("%s session %08x counters %s.., run of %d datagrams (UDP GSO/GRO) of %d bytes",
      dir, tvb(0, 4):uint(), tostring(tvb(4, 8):uint64()), count, size)
    return len
  end
  local ct = dissect_datagram(tvb, tree, to_server)
  pinfo.cols.info = string.format("%s session %08x counter %s, %d bytes%s",
    dir, tvb(0, 4):uint(), tostring(tvb(4, 8):uint64()), ct, ct == 0 and " (keepalive)" or "")
  return len
end

local registered = {}
local function register_ports()
  local tcp = DissectorTable.get("tcp.port")
  local udp = DissectorTable.get("udp.port")
  for _, r in ipairs(registered) do r.table:remove(r.port, myvpn) end
  registered = {}
  tcp:add(myvpn.prefs.handshake_port, myvpn)
  table.insert(registered, { table = tcp, port = myvpn.prefs.handshake_port })
  for p = myvpn.prefs.first_port, myvpn.prefs.last_port do
    udp:add(p, myvpn)
    table.insert(registered, { table = udp, port = p })
  end
end

function myvpn.dissector(tvb, pinfo, tree)
  if pinfo.port_type == 2 then -- TCP
    return dissect_tcp(tvb, pinfo, tree)
  end
  return dissect_udp(tvb, pinfo, tree)
end

function myvpn.prefs_changed()
  register_ports()
end

register_ports()
