
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
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
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
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show Deployments, pods or nodes across the fleet (-M: one row per member)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Generate a static shell completion script for kubectl-fleet')
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
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
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
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector on the listed objects (e.g. `app=qwen3-8b`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector on the listed objects (e.g. `app=qwen3-8b`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
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
        'kubectl-fleet;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Fleet members to use, comma separated (default: every member)')
            [CompletionResult]::new('--cluster-selector', '--cluster-selector', [CompletionResultType]::ParameterName, 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)')
            [CompletionResult]::new('--fleet', '--fleet', [CompletionResultType]::ParameterName, 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the namespace in the manifest, else `default`)')
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
        'kubectl-fleet;help' {
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show Deployments, pods or nodes across the fleet (-M: one row per member)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Generate a static shell completion script for kubectl-fleet')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-fleet;help;clusters' {
            break
        }
        'kubectl-fleet;help;get' {
            break
        }
        'kubectl-fleet;help;completion' {
            break
        }
        'kubectl-fleet;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
