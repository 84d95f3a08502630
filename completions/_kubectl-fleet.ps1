
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-fleet' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-fleet'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-fleet' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show where the replicas of Deployments would go (changes nothing; exit 3 if some are unplaced)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Plan, confirm and apply Deployments and policies to the member clusters')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what apply -f would change on each member (exit 0 none, 1 changes, 2 error)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show Deployments, pods, nodes, events or autoscalers across the fleet (-M: per member)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show one Deployment or autoscaler across the fleet: policy, plan, copies, events')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Change the fleet-wide replica count of a managed Deployment (re-plans with its policy)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a managed Deployment or fleet autoscaler (hpa/NAME) from the members')
            [CompletionResult]::new('autoscale', 'autoscale', [CompletionResultType]::ParameterValue, 'Create a fleet autoscaler for a managed Deployment, like kubectl autoscale')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Show CPU and memory of pods or nodes across the fleet, like kubectl top')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole workflow on a simulated 3-cluster GPU fleet (no clusters needed)')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run or control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Generate a static shell completion script for kubectl-fleet')
            [CompletionResult]::new('cordon', 'cordon', [CompletionResultType]::ParameterValue, 'Cordon a member: it gets no new replicas (state stored in the member)')
            [CompletionResult]::new('uncordon', 'uncordon', [CompletionResultType]::ParameterValue, 'Uncordon a member')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Cordon a member and move its managed replicas to the others, make-before-break')
            [CompletionResult]::new('rebalance', 'rebalance', [CompletionResultType]::ParameterValue, 'One pass of descheduling, failover and return to priority')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Controller mode: loop plan/apply/rebalance, with metrics and leader election')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Fleet-wide rollouts: status, history, undo, pause, resume, restart (Kruise Rollout steps)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;clusters' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to show the plan and the result (json/yaml print the apply report)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to show the plan and the result (json/yaml print the apply report)')
            [CompletionResult]::new('--field-manager', '--field-manager', [CompletionResultType]::ParameterName, 'Field manager of the server-side apply')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (`--dry-run` alone means client)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'Member order of the rollout this apply starts (comma-separated members, first first); wins over the Rollout''s memberOrder field and member-order annotation. Members not named follow in the default order (lowest-priority group first)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Adopt same-named Deployments that kubectl-fleet does not manage (conflictResolution Overwrite)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the new replicas are available (growing members first, then shrinking)')
            [CompletionResult]::new('--allow-unreachable', '--allow-unreachable', [CompletionResultType]::ParameterName, 'Change the reachable members even if the plan involves unreachable ones')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'Watch the step this apply writes (up to --timeout); when it fails, restore the previous template everywhere (like `rollout undo`, make-before-break) and exit 1')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;get' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide, json, yaml, name, custom-columns=HEADER:PATH,... or jsonpath=TEMPLATE (deployments: json/yaml/custom-columns/jsonpath see the member copies as a v1 List, each annotated fleet.kubectl.dev/member)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide, json, yaml, name, custom-columns=HEADER:PATH,... or jsonpath=TEMPLATE (deployments: json/yaml/custom-columns/jsonpath see the member copies as a v1 List, each annotated fleet.kubectl.dev/member)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector on the listed objects (e.g. `app=qwen3-8b`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector on the listed objects (e.g. `app=qwen3-8b`)')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Events only: those about this object, like `kubectl events --for` (e.g. deploy/NAME)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'One row per member cluster (plus a fleet total row for Deployments)')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'One row per member cluster (plus a fleet total row for Deployments)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;describe' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;scale' {
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'The new fleet-wide replica count')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to show the plan and the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to show the plan and the result')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (`--dry-run` alone means client)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the new replicas are available (growing members first, then shrinking)')
            [CompletionResult]::new('--allow-unreachable', '--allow-unreachable', [CompletionResultType]::ParameterName, 'Change the reachable members even if the plan involves unreachable ones')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;delete' {
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would be deleted (`--dry-run` alone means client)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the report as json or yaml')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the report as json or yaml')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--preserve', '--preserve', [CompletionResultType]::ParameterName, 'Keep the member copies (release them from kubectl-fleet) whatever the policy says')
            [CompletionResult]::new('--allow-unreachable', '--allow-unreachable', [CompletionResultType]::ParameterName, 'Delete from the reachable members even if some cannot be reached')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;autoscale' {
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'The lower limit of the fleet-wide replica count (default 1)')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'The upper limit of the fleet-wide replica count (required)')
            [CompletionResult]::new('--cpu-percent', '--cpu-percent', [CompletionResultType]::ParameterName, 'Target average CPU utilization over all the pods in the fleet, in percent of the request; without it, the default autoscaling policy (80%) is used')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The autoscaler''s name (default: the Deployment''s name)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would be stored (`--dry-run` alone means client)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the autoscaler as json or yaml (or only its name) instead of the one-line result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the autoscaler as json or yaml (or only its name) instead of the one-line result')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('pods', 'pods', [CompletionResultType]::ParameterValue, 'CPU and memory of pods in every member')
            [CompletionResult]::new('pod', 'pod', [CompletionResultType]::ParameterValue, 'CPU and memory of pods in every member')
            [CompletionResult]::new('po', 'po', [CompletionResultType]::ParameterValue, 'CPU and memory of pods in every member')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'CPU and memory of nodes in every member, and their share of allocatable')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'CPU and memory of nodes in every member, and their share of allocatable')
            [CompletionResult]::new('no', 'no', [CompletionResultType]::ParameterValue, 'CPU and memory of nodes in every member, and their share of allocatable')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;top;pods' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--containers', '--containers', [CompletionResultType]::ParameterName, 'One row per container')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;pod' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--containers', '--containers', [CompletionResultType]::ParameterName, 'One row per container')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;po' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector (e.g. `app=web`)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--containers', '--containers', [CompletionResultType]::ParameterName, 'One row per container')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;nodes' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;node' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;no' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector on the nodes')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort by cpu or memory, largest first')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--member-clusters', '--member-clusters', [CompletionResultType]::ParameterName, 'Rows grouped by member with a sum row per member and one for the fleet')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Leave out the header line')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;top;help' {
            [CompletionResult]::new('pods', 'pods', [CompletionResultType]::ParameterValue, 'CPU and memory of pods in every member')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'CPU and memory of nodes in every member, and their share of allocatable')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;top;help;pods' {
            break
        }
        'kubectl-fleet;top;help;nodes' {
            break
        }
        'kubectl-fleet;top;help;help' {
            break
        }
        'kubectl-fleet;demo' {
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Simulated time runs this many times faster than real time (readiness delays, node provisioning)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the simulated fleet running at the end (prints the KUBECONFIG to export; Ctrl-C stops it)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;sim' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start a simulated fleet in the foreground and write its kubeconfig')
            [CompletionResult]::new('fault', 'fault', [CompletionResultType]::ParameterValue, 'Inject a fault into a running simulated cluster, or lift it')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Set the fleet-wide load of a Deployment (served as metrics by every member)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;sim;up' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'SimulatedFleet config (YAML). Default: the built-in demo fleet')
            [CompletionResult]::new('--kubeconfig-out', '--kubeconfig-out', [CompletionResultType]::ParameterName, 'Where to write the kubeconfig (one context per cluster, namespace default)')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Simulated time speed: 10 makes provisioning, readiness and eviction delays 10x shorter')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;sim;fault' {
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Delay every API request by MS milliseconds (0 clears it)')
            [CompletionResult]::new('--error-rate', '--error-rate', [CompletionResultType]::ParameterName, 'Fail this fraction of API requests (0..1) with 500 InternalError')
            [CompletionResult]::new('--node-not-ready', '--node-not-ready', [CompletionResultType]::ParameterName, 'Turn a node NotReady: its pods lose readiness, and are evicted after 40 simulated seconds')
            [CompletionResult]::new('--node-ready', '--node-ready', [CompletionResultType]::ParameterName, 'Turn a node Ready again')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Set the remaining inventory (instances the cloud can still provide) of a node pool')
            [CompletionResult]::new('--bad-image', '--bad-image', [CompletionResultType]::ParameterName, 'Make an image bad: its pods start but never turn Ready, and their restartCount grows (CrashLoopBackOff every 10 simulated seconds)')
            [CompletionResult]::new('--good-image', '--good-image', [CompletionResultType]::ParameterName, 'Make a bad image good again: its pods turn Ready at their next restart')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'Take the cluster''s API server down (connections are refused)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Bring the API server back, and clear latency and error rate')
            [CompletionResult]::new('--no-metrics', '--no-metrics', [CompletionResultType]::ParameterName, 'Make the metrics APIs (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io) answer 503 ServiceUnavailable, like a missing metrics backend; the rest of the API server keeps working')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve the metrics APIs again (lifts --no-metrics)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;sim;load' {
            [CompletionResult]::new('--cpu', '--cpu', [CompletionResultType]::ParameterName, 'Fleet-wide cpu demand in cores (`2.5`, `750m`)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Fleet-wide memory demand (`6Gi`); without it each pod reports its memory request')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'A custom pods metric and its fleet-wide total (`requests_per_second=900`); repeatable')
            [CompletionResult]::new('--object', '--object', [CompletionResultType]::ParameterName, 'An object metric served by one member''s custom.metrics.k8s.io (`ingress/main:requests_per_second=900`); repeatable')
            [CompletionResult]::new('--external', '--external', [CompletionResultType]::ParameterName, 'An external metric served by one member''s external.metrics.k8s.io (`queue_depth=30`, series labelled deployment=NAME); repeatable')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The member serving --object and --external (default: the fleet''s first member)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;sim;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start a simulated fleet in the foreground and write its kubeconfig')
            [CompletionResult]::new('fault', 'fault', [CompletionResultType]::ParameterValue, 'Inject a fault into a running simulated cluster, or lift it')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Set the fleet-wide load of a Deployment (served as metrics by every member)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;sim;help;up' {
            break
        }
        'kubectl-fleet;sim;help;fault' {
            break
        }
        'kubectl-fleet;sim;help;load' {
            break
        }
        'kubectl-fleet;sim;help;help' {
            break
        }
        'kubectl-fleet;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;cordon' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (shown by `clusters -o wide|json`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;uncordon' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;drain' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the new replicas before giving up (the member keeps its copy)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Cordon reason recorded on the member')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan only: nothing is cordoned or moved')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Show progress bars while the new replicas become available')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rebalance' {
            [CompletionResult]::new('--max-moves', '--max-moves', [CompletionResultType]::ParameterName, 'At most this many optional moves (return to priority) per workload; failover and descheduling are never limited')
            [CompletionResult]::new('--pending-timeout', '--pending-timeout', [CompletionResultType]::ParameterName, 'Move replicas that are Pending for longer than this')
            [CompletionResult]::new('--unready-timeout', '--unready-timeout', [CompletionResultType]::ParameterName, 'Fail over a member unreachable (or replicas not Ready) for longer than this')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for new replicas before removing the old ones')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the actions only')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Show progress bars while new replicas become available')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin and stderr are terminals)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin and stderr are terminals)')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;reconcile' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between passes')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve /healthz and Prometheus /metrics on this address (e.g. 127.0.0.1:9090)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format on stderr')
            [CompletionResult]::new('--lease-member', '--lease-member', [CompletionResultType]::ParameterName, 'Leader election: the member holding the coordination.k8s.io Lease (or a kubeconfig context outside the fleet, e.g. the hosting cluster excluded with --clusters)')
            [CompletionResult]::new('--lease-namespace', '--lease-namespace', [CompletionResultType]::ParameterName, 'Namespace of the Lease')
            [CompletionResult]::new('--lease-name', '--lease-name', [CompletionResultType]::ParameterName, 'Name of the Lease')
            [CompletionResult]::new('--lease-duration', '--lease-duration', [CompletionResultType]::ParameterName, 'leaseDurationSeconds: a holder that stops renewing loses the Lease after this')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'holderIdentity (default: $POD_NAME or $HOSTNAME, plus the process id)')
            [CompletionResult]::new('--max-moves', '--max-moves', [CompletionResultType]::ParameterName, 'At most this many optional moves per workload and pass')
            [CompletionResult]::new('--pending-timeout', '--pending-timeout', [CompletionResultType]::ParameterName, 'Move replicas Pending for longer than this')
            [CompletionResult]::new('--unready-timeout', '--unready-timeout', [CompletionResultType]::ParameterName, 'Fail over members unreachable (or replicas not Ready) for longer than this')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long one pass waits for new replicas before removing old ones')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Run one pass and exit')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the rollout''s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the fleet revisions of the template with their change cause')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause the rollout: no step advances until `rollout resume`')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout''s steps if there is one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;rollout;status' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Watch until the rollout completes or fails (`--watch=false`: print once)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Watch until the rollout completes or fails (`--watch=false`: print once)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to watch (0 = no limit)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the whole status document as json or yaml (again each time it changes while watching; yaml documents separated by `---`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the whole status document as json or yaml (again each time it changes while watching; yaml documents separated by `---`)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Pin to a revision: exit 1 when the rollout runs another one (0 = the latest)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When the rollout fails, restore the previous template everywhere (like `rollout undo`, make-before-break) before exiting 1')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;history' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Show the template of this revision')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the history (with --revision: that revision, its template included) as json or yaml')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the history (with --revision: that revision, its template included) as json or yaml')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;undo' {
            [CompletionResult]::new('--to-revision', '--to-revision', [CompletionResultType]::ParameterName, 'The revision to roll back to (0 = the previous one)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client: nothing is written)')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;pause' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;resume' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the current step to be Ready before continuing')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;restart' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another writer''s lock on a workload before giving up (exit 1, naming the holder); 0 tries once')
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'Member order of the restart''s rollout (comma-separated members, first first); wins over the Rollout''s memberOrder field and member-order annotation')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace of the kubeconfig''s current context, else `default`; manifests that name a namespace keep it)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--force-unlock', '--force-unlock', [CompletionResultType]::ParameterName, 'Take the workload''s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (get)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-fleet;rollout;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the rollout''s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the fleet revisions of the template with their change cause')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause the rollout: no step advances until `rollout resume`')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout''s steps if there is one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;rollout;help;status' {
            break
        }
        'kubectl-fleet;rollout;help;history' {
            break
        }
        'kubectl-fleet;rollout;help;undo' {
            break
        }
        'kubectl-fleet;rollout;help;pause' {
            break
        }
        'kubectl-fleet;rollout;help;resume' {
            break
        }
        'kubectl-fleet;rollout;help;restart' {
            break
        }
        'kubectl-fleet;rollout;help;help' {
            break
        }
        'kubectl-fleet;help' {
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show where the replicas of Deployments would go (changes nothing; exit 3 if some are unplaced)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Plan, confirm and apply Deployments and policies to the member clusters')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what apply -f would change on each member (exit 0 none, 1 changes, 2 error)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show Deployments, pods, nodes, events or autoscalers across the fleet (-M: per member)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show one Deployment or autoscaler across the fleet: policy, plan, copies, events')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Change the fleet-wide replica count of a managed Deployment (re-plans with its policy)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a managed Deployment or fleet autoscaler (hpa/NAME) from the members')
            [CompletionResult]::new('autoscale', 'autoscale', [CompletionResultType]::ParameterValue, 'Create a fleet autoscaler for a managed Deployment, like kubectl autoscale')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Show CPU and memory of pods or nodes across the fleet, like kubectl top')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole workflow on a simulated 3-cluster GPU fleet (no clusters needed)')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run or control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Generate a static shell completion script for kubectl-fleet')
            [CompletionResult]::new('cordon', 'cordon', [CompletionResultType]::ParameterValue, 'Cordon a member: it gets no new replicas (state stored in the member)')
            [CompletionResult]::new('uncordon', 'uncordon', [CompletionResultType]::ParameterValue, 'Uncordon a member')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Cordon a member and move its managed replicas to the others, make-before-break')
            [CompletionResult]::new('rebalance', 'rebalance', [CompletionResultType]::ParameterValue, 'One pass of descheduling, failover and return to priority')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Controller mode: loop plan/apply/rebalance, with metrics and leader election')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Fleet-wide rollouts: status, history, undo, pause, resume, restart (Kruise Rollout steps)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;help;clusters' {
            break
        }
        'kubectl-fleet;help;plan' {
            break
        }
        'kubectl-fleet;help;apply' {
            break
        }
        'kubectl-fleet;help;diff' {
            break
        }
        'kubectl-fleet;help;get' {
            break
        }
        'kubectl-fleet;help;describe' {
            break
        }
        'kubectl-fleet;help;scale' {
            break
        }
        'kubectl-fleet;help;delete' {
            break
        }
        'kubectl-fleet;help;autoscale' {
            break
        }
        'kubectl-fleet;help;top' {
            [CompletionResult]::new('pods', 'pods', [CompletionResultType]::ParameterValue, 'CPU and memory of pods in every member')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'CPU and memory of nodes in every member, and their share of allocatable')
            break
        }
        'kubectl-fleet;help;top;pods' {
            break
        }
        'kubectl-fleet;help;top;nodes' {
            break
        }
        'kubectl-fleet;help;demo' {
            break
        }
        'kubectl-fleet;help;sim' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start a simulated fleet in the foreground and write its kubeconfig')
            [CompletionResult]::new('fault', 'fault', [CompletionResultType]::ParameterValue, 'Inject a fault into a running simulated cluster, or lift it')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Set the fleet-wide load of a Deployment (served as metrics by every member)')
            break
        }
        'kubectl-fleet;help;sim;up' {
            break
        }
        'kubectl-fleet;help;sim;fault' {
            break
        }
        'kubectl-fleet;help;sim;load' {
            break
        }
        'kubectl-fleet;help;completion' {
            break
        }
        'kubectl-fleet;help;cordon' {
            break
        }
        'kubectl-fleet;help;uncordon' {
            break
        }
        'kubectl-fleet;help;drain' {
            break
        }
        'kubectl-fleet;help;rebalance' {
            break
        }
        'kubectl-fleet;help;reconcile' {
            break
        }
        'kubectl-fleet;help;rollout' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the rollout''s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the fleet revisions of the template with their change cause')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause the rollout: no step advances until `rollout resume`')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout''s steps if there is one')
            break
        }
        'kubectl-fleet;help;rollout;status' {
            break
        }
        'kubectl-fleet;help;rollout;history' {
            break
        }
        'kubectl-fleet;help;rollout;undo' {
            break
        }
        'kubectl-fleet;help;rollout;pause' {
            break
        }
        'kubectl-fleet;help;rollout;resume' {
            break
        }
        'kubectl-fleet;help;rollout;restart' {
            break
        }
        'kubectl-fleet;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
