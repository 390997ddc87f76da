package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;

/**
 * Refuses, at start-up, http hooks whose URL points at a loopback, link-local, private (RFC 1918, IPv6 unique
 * local, carrier-grade NAT) or unspecified address, unless {@value #KEY} is on: a hook URL is a request the
 * service makes from inside the network, and it must not reach the service's own neighbours (an admin port, a
 * cloud metadata endpoint on 169.254.169.254) by mistake. A host name is resolved once, at start-up; one that does
 * not resolve now is left to the delivery, which fails and retries until it does.
 */
public final class PrivateTargets {

    public static final String KEY = HookConfig.DEFAULTS + "allow-private-targets";

    private PrivateTargets() {
    }

    /** Records a problem naming {@code relay.hook.<name>.http.url} for each enabled hook with a private target. */
    public static void check(PropertyReader p, Collection<HookConfig> hooks) {
        if (p.bool(KEY, false)) {
            return;
        }
        for (HookConfig hook : hooks) {
            String url = hook.endpoint().get("url");
            if (!hook.enabled() || !"http".equals(hook.destination()) || url == null) {
                continue;
            }
            String host;
            try {
                host = URI.create(url).getHost();
            } catch (IllegalArgumentException e) {
                continue; // HttpDestination reports the URL itself
            }
            if (host == null) {
                continue;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(host)) {
                    if (isPrivate(address)) {
                        p.problem(HookConfig.PREFIX + hook.name() + ".http.url", "'" + url + "' points at "
                                + address.getHostAddress() + ", a loopback, link-local or private address; such"
                                + " targets are refused unless " + KEY + " = true");
                        break;
                    }
                }
            } catch (UnknownHostException e) {
                // not resolvable now: the delivery fails with the reason and retries
            }
        }
    }

    /** Loopback, link-local, site-local (private), unspecified, IPv6 unique local (fc00::/7) or 100.64.0.0/10. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }
}
