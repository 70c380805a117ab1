#!/bin/bash

__arxos_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__arxos_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__arxos_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__arxos_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_arxos() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|state|commit|status|diff|log|show|branch|switch|restore|tag|reflog|merge|conflicts|resolve|key|verify|validate|types|import|export|fsck|gc|config|remote|clone|fetch|pull|push|serve|deploy|node|edge|cat-object|hash-object|ls-tree|rev-parse|query|index|template|help)
        # Offer subcommand argument completions
        "_arxos_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init state commit status diff log show branch switch restore tag reflog merge conflicts resolve key verify validate types import export fsck gc config remote clone fetch pull push serve deploy node edge cat-object hash-object ls-tree rev-parse query index template help' -- "${cur}"))
        ;;
    esac
}

_arxos_init() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env -b --initial-branch)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '-b'|'--initial-branch')
        return
        ;;
    esac
}

_arxos_state() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    capture|restore|diff)
        # Offer subcommand argument completions
        "_arxos_state_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'capture restore diff' -- "${cur}"))
        ;;
    esac
}

_arxos_state_capture() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --allow-empty --amend --no-sign --no-validate --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --message -m --author)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--message'|'-m')
        return
        ;;
    '--author')
        return
        ;;
    esac
}

_arxos_state_restore() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion state restore -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_state_diff() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --stat --name-only --json --exit-code --version -h --help)
    repeating_options=(--type)
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--type')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion state diff -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion state diff -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_commit() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --allow-empty --amend --no-sign --no-validate --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --message -m --author)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--message'|'-m')
        return
        ;;
    '--author')
        return
        ;;
    esac
}

_arxos_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_diff() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --stat --name-only --json --exit-code --version -h --help)
    repeating_options=(--type)
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--type')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion diff -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion diff -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_log() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --oneline --json --show-signature --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env -n --max-count)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '-n'|'--max-count')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion log -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_show() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion show -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_branch() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --delete -d --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion branch -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion branch -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_switch() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q -c --detach --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion switch -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion switch -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_restore() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion restore -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_tag() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --sign -s --no-sign --delete -d --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --message -m)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--message'|'-m')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion tag -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion tag -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_reflog() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion reflog -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_merge() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --no-commit --ff-only --no-ff --allow-violations --continue --abort --no-sign --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --message -m -X --strategy-option)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--message'|'-m')
        return
        ;;
    '-X'|'--strategy-option')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion merge -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_conflicts() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_resolve() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --ours --theirs --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --value)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--value')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion resolve -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_key() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    generate|list|export|trust|revoke)
        # Offer subcommand argument completions
        "_arxos_key_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'generate list export trust revoke' -- "${cur}"))
        ;;
    esac
}

_arxos_key_generate() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --force --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --comment)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--comment')
        return
        ;;
    esac
}

_arxos_key_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_key_export() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_key_trust() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --comment)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--comment')
        return
        ;;
    esac
}

_arxos_key_revoke() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --comment)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--comment')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion key revoke -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_verify() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --required)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--required')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion verify -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_validate() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion validate -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_types() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_import() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    brick|haystack)
        # Offer subcommand argument completions
        "_arxos_import_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'brick haystack' -- "${cur}"))
        ;;
    esac
}

_arxos_import_brick() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --dry-run --force --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --building)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--building')
        return
        ;;
    esac
}

_arxos_import_haystack() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --dry-run --force --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --building --format)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--building')
        return
        ;;
    '--format')
        __arxos_add_completions -W 'zinc'$'\n''json'
        return
        ;;
    esac
}

_arxos_export() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    brick|haystack)
        # Offer subcommand argument completions
        "_arxos_export_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'brick haystack' -- "${cur}"))
        ;;
    esac
}

_arxos_export_brick() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --output -o)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--output'|'-o')
        return
        ;;
    esac
}

_arxos_export_haystack() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --format -o --output --out)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--format')
        __arxos_add_completions -W 'zinc'$'\n''json'$'\n''json-v3'
        return
        ;;
    '-o'|'--output'|'--out')
        return
        ;;
    esac
}

_arxos_fsck() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_gc() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --prune --level)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--prune')
        return
        ;;
    '--level')
        return
        ;;
    esac
}

_arxos_config() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    get|set|unset|list)
        # Offer subcommand argument completions
        "_arxos_config_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'get set unset list' -- "${cur}"))
        ;;
    esac
}

_arxos_config_get() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --global --show-origin --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_config_set() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --global --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_config_unset() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --global --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_config_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_remote() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|remove|rename|list|set-url)
        # Offer subcommand argument completions
        "_arxos_remote_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add remove rename list set-url' -- "${cur}"))
        ;;
    esac
}

_arxos_remote_add() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --arxos-path)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--arxos-path')
        return
        ;;
    esac
}

_arxos_remote_remove() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion remote remove -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_remote_rename() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion remote rename -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_remote_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_remote_set-url() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion remote set-url -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_clone() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --arxos-path)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--arxos-path')
        return
        ;;
    esac
}

_arxos_fetch() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --arxos-path)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--arxos-path')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion fetch -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_pull() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --ff-only --no-sign --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --arxos-path)
    __arxos_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--arxos-path')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion pull -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion pull -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_push() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --force-with-lease --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --arxos-path)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--arxos-path')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion push -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    *)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion push -- positional@1 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_serve() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --stdio --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --listen --root)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--listen')
        return
        ;;
    '--root')
        return
        ;;
    esac
}

_arxos_deploy() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    plan|validate|apply|status|list|rollback|resume|approve|run-due|unlock)
        # Offer subcommand argument completions
        "_arxos_deploy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'plan validate apply status list rollback resume approve run-due unlock' -- "${cur}"))
        ;;
    esac
}

_arxos_deploy_plan() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=(--target)
    non_repeating_options=(-C --color --env --out)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--target')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_arxos_deploy_validate() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=(--target)
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--target')
        return
        ;;
    esac
}

_arxos_deploy_apply() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --override-window --wait-for-window --json --version -h --help)
    repeating_options=(--target)
    non_repeating_options=(-C --color --env --strategy --canary --batches --parallel --max-failures --max-total-failures --confirm-timeout --health-timeout --pause-between --on-failure --lease --plan --at)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--target')
        return
        ;;
    '--strategy')
        return
        ;;
    '--canary')
        return
        ;;
    '--batches')
        return
        ;;
    '--parallel')
        return
        ;;
    '--max-failures')
        return
        ;;
    '--max-total-failures')
        return
        ;;
    '--confirm-timeout')
        return
        ;;
    '--health-timeout')
        return
        ;;
    '--pause-between')
        return
        ;;
    '--on-failure')
        return
        ;;
    '--lease')
        return
        ;;
    '--plan')
        return
        ;;
    '--at')
        return
        ;;
    esac
}

_arxos_deploy_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --watch --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_deploy_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_deploy_rollback() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --confirm-timeout)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--confirm-timeout')
        return
        ;;
    esac
}

_arxos_deploy_resume() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_deploy_approve() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_deploy_run-due() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_deploy_unlock() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --lease)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--lease')
        return
        ;;
    esac
}

_arxos_node() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|remove|list|status)
        # Offer subcommand argument completions
        "_arxos_node_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add remove list status' -- "${cur}"))
        ;;
    esac
}

_arxos_node_add() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=(--tag)
    non_repeating_options=(-C --color --env --building --address --key --path)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--building')
        return
        ;;
    '--address')
        return
        ;;
    '--key')
        return
        ;;
    '--tag')
        return
        ;;
    '--path')
        return
        ;;
    esac
}

_arxos_node_remove() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_node_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_node_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=(--target)
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--target')
        return
        ;;
    esac
}

_arxos_edge() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|serve|status|trust|revoke)
        # Offer subcommand argument completions
        "_arxos_edge_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init serve status trust revoke' -- "${cur}"))
        ;;
    esac
}

_arxos_edge_init() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --dir --building --listen)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--dir')
        return
        ;;
    '--building')
        return
        ;;
    '--listen')
        return
        ;;
    esac
}

_arxos_edge_serve() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --stdio --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --dir --listen)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--dir')
        return
        ;;
    '--listen')
        return
        ;;
    esac
}

_arxos_edge_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --dir)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--dir')
        return
        ;;
    esac
}

_arxos_edge_trust() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --dir)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--dir')
        return
        ;;
    esac
}

_arxos_edge_revoke() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --dir)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--dir')
        return
        ;;
    esac
}

_arxos_cat-object() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q -t -s -p --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion cat-object -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_hash-object() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q -w --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_ls-tree() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q -r --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion ls-tree -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_rev-parse() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion rev-parse -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_query() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --count --ids --buildings --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env --rev)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--rev')
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion query -- --rev "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_index() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    rebuild|status)
        # Offer subcommand argument completions
        "_arxos_index_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'rebuild status' -- "${cur}"))
        ;;
    esac
}

_arxos_index_rebuild() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion index rebuild -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_index_status() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_template() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|validate|render|apply)
        # Offer subcommand argument completions
        "_arxos_template_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show validate render apply' -- "${cur}"))
        ;;
    esac
}

_arxos_template_list() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac
}

_arxos_template_show() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion template show -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_template_validate() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(-C --color --env)
    __arxos_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion template validate -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_template_render() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=(--set)
    non_repeating_options=(-C --color --env --target)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--set')
        return
        ;;
    '--target')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion template render -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_template_apply() {
    repeating_flags=()
    non_repeating_flags=(--quiet -q --json --version -h --help)
    repeating_options=(--set)
    non_repeating_options=(-C --color --env --target)
    __arxos_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-C')
        return
        ;;
    '--color')
        __arxos_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--env')
        return
        ;;
    '--set')
        return
        ;;
    '--target')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __arxos_add_completions -W "$(__arxos_custom_complete ---completion template apply -- positional@0 "${COMP_CWORD}" "$(__arxos_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_arxos_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __arxos_offer_flags_options -1
}

complete -o filenames -F _arxos arxos
