import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be sent (docs/webhooks.md "Addresses"): only to public unicast
 * addresses, so a subscriber cannot make the service call its own network (loopback, RFC 1918,
 * unique local, link-local such as the cloud metadata address 169.254.169.254, multicast,
 * unspecified, reserved). `allowPrivate` lifts it, for tests and private deployments.
 */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${range} address`;
}

/** What the URL itself allows: the scheme, and a host that is not a refused literal address. */
export function urlRefusal(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    return allowPrivate ? 'the URL must be http or https' : 'the URL must be https';
  if (url.username !== '' || url.password !== '') return 'the URL must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return addressRefusal(host, allowPrivate);
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    return `${host} is a loopback name`;
  return null;
}
