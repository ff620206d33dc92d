import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me, type Membership } from './api';

export const ME_KEY = ['me'] as const;

/** The logged-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api<Me>('GET', '/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function currentMembership(me: Me): Membership | undefined {
  return me.memberships.find((m) => m.agencyId === me.currentAgencyId);
}

export function useSwitchAgency() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (agencyId: string) => api<Me>('POST', '/auth/switch-agency', { agencyId }),
    onSuccess: (me) => {
      // Everything cached belongs to the agency acted for until now. The "me" query itself stays, with
      // its new answer: clearing it too would leave the screens watching a query no longer in the cache.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      client.setQueryData(ME_KEY, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<undefined>('POST', '/auth/logout'),
    onSettled: () => {
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}
